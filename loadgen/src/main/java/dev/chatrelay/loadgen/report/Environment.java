package dev.chatrelay.loadgen.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Where a run happened: git revision, cores, load, JVM. */
public final class Environment {

  /** Longest the git call may take (s). */
  private static final long GIT_TIMEOUT_S = 5;

  private Environment() {
  }

  /** {@code git rev-parse --short HEAD} of the working directory, or "unknown". */
  public static String gitRevision() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(GIT_TIMEOUT_S, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The box's 1-minute load average when the run ended (others' work on a shared box), or -1. */
  public static double loadAverage() {
    try {
      String text = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"));
      return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public static String jvm() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
  }
}
