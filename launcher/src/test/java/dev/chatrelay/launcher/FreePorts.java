package dev.chatrelay.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port that was free a moment ago, for servers that need a fixed port before they start.
 *
 * <p>Ports come from below the kernel's ephemeral range: a port picked from inside it can be
 * taken by any outgoing connection (Hazelcast's own member links included) between the pick and
 * the bind, which made cluster tests fail with "port already in use".
 */
public final class FreePorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Lowest port handed out; above the registered services most machines run. */
  private static final int LOWEST = 20_000;
  /** Used when the kernel does not say where its ephemeral range starts (Linux default). */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final int HIGHEST = ephemeralStart() - 1;
  /** Forks of the test JVM start at different points so they rarely probe the same ports. */
  private static final AtomicInteger NEXT = new AtomicInteger(
      LOWEST + (int) (ProcessHandle.current().pid() * 7919 % (HIGHEST - LOWEST)));

  private FreePorts() {}

  public static int find() {
    int span = HIGHEST - LOWEST + 1;
    for (int attempt = 0; attempt < span; attempt++) {
      int port = LOWEST + Math.floorMod(NEXT.getAndIncrement() - LOWEST, span);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + LOWEST + ".." + HIGHEST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralStart() {
    try {
      String range = Files.readString(EPHEMERAL_RANGE).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
