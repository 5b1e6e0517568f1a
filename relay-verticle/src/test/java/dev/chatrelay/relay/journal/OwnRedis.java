package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free loopback port, so a test can pause (SIGSTOP), stop
 * and restart it, or make it a replica, without touching the Redis other tests share. Skipped
 * (JUnit assumption) where no redis-server binary is installed.
 */
public final class OwnRedis implements AutoCloseable {

  private static final String BINARY = "/usr/bin/redis-server";
  private static final Duration START_WAIT = Duration.ofSeconds(10);

  public final int port;
  private final List<String> extra;
  private Process process;

  private OwnRedis(int port, List<String> extra) {
    this.port = port;
    this.extra = extra;
  }

  /** Starts one; {@code extra} are more {@code --name value} settings. */
  public static OwnRedis start(String... extra) {
    assumeTrue(new File(BINARY).canExecute(), "no " + BINARY + ": own-Redis tests skipped");
    OwnRedis redis = new OwnRedis(freePort(), List.of(extra));
    redis.launch();
    return redis;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public void launch() {
    List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
    cmd.addAll(extra);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server did not start", e);
    }
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (!accepts()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " did not come up");
      }
      Thread.onSpinWait();
    }
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing, as in a VM stall. */
  public void pause() {
    signal("-STOP");
  }

  public void resume() {
    signal("-CONT");
  }

  /** Kills the process (its connections reset) and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      resume();
      kill();
    }
  }

  private void signal(String sig) {
    try {
      Process kill = new ProcessBuilder("kill", sig, String.valueOf(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill " + sig + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill " + sig + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
