package dev.chatrelay.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A link with delay and frame loss where the kernel has no netem qdisc: a process's eth0 reaches
 * its bridge through a router namespace in which {@code slow_link.py} copies every Ethernet
 * frame between the two veth ends, after the delay of its control file or not at all (loss).
 */
final class SlowLink implements AutoCloseable {

  private final Path control;
  private final Process forwarder;

  /**
   * Namespace {@code ns} gets eth0 with {@code address}; {@code router} (already created) holds
   * the link's two ends; {@code hubSide} joins {@code bridge} in namespace {@code hub}.
   */
  SlowLink(String hub, String router, String ns, String address, String hubSide, String bridge) {
    Netns.ip("-n", router, "link", "set", "lo", "up");
    Netns.ip("-n", router, "link", "add", "name", "la", "type", "veth", "peer", "name", "eth0",
        "netns", ns);
    Netns.ip("-n", ns, "addr", "add", address, "dev", "eth0");
    Netns.ip("-n", ns, "link", "set", "eth0", "up");
    Netns.ip("-n", hub, "link", "add", "name", hubSide, "type", "veth", "peer", "name", "lb",
        "netns", router);
    Netns.ip("-n", hub, "link", "set", hubSide, "master", bridge, "up");
    for (String end : List.of("la", "lb")) {
      Netns.ip("-n", router, "link", "set", end, "promisc", "on", "up");
    }
    try {
      control = Files.createTempFile("slow-link", ".conf");
      Files.writeString(control, "0 0");
      forwarder = new ProcessBuilder("ip", "netns", "exec", router, "python3",
          script("slow_link.py"), "la", "lb", control.toString(),
          String.valueOf(new Random().nextInt()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Delay each way and the share of frames dropped (0 and 0: a plain link). */
  void set(int delayMs, double loss) {
    try {
      Path next = control.resolveSibling(control.getFileName() + ".next");
      Files.writeString(next, delayMs + " " + loss);
      Files.move(next, control, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when {@code python3} runs here (the slow link needs it). */
  static boolean pythonAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs a script of test resources {@code faults/} with python3 in namespace {@code ns}. */
  static void python(String ns, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("netns", "exec", ns, "python3",
        script(script)));
    command.addAll(List.of(args));
    Netns.ip(command.toArray(String[]::new));
  }

  private static String script(String name) {
    URL url = SlowLink.class.getResource("/faults/" + name);
    if (url == null) {
      throw new IllegalStateException("test resource faults/" + name + " missing");
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    forwarder.destroyForcibly();
    try {
      Files.deleteIfExists(control);
    } catch (IOException e) {
      // a temp file: nothing to do
    }
  }
}
