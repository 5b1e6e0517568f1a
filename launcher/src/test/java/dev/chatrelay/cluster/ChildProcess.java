package dev.chatrelay.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of a multi-process test (a role JVM, a redis-server), restartable with the
 * same command line: each incarnation writes its output to a file of its own
 * ({@code <name>.<n>.log}) so a failure can print what the process said last.
 */
final class ChildProcess {

  /** Longest wait for a process to exit after a signal. */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logDir;
  private Process process;
  private int incarnation;
  private Path log;

  ChildProcess(String name, List<String> command, Map<String, String> environment, Path logDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.logDir = logDir;
  }

  /** Starts a new incarnation; the previous one must have exited. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    incarnation++;
    log = logDir.resolve(name + "." + incarnation + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // Only what this test sets: a RELAY_* of the machine running the build must not leak in.
    builder.environment().keySet().removeIf(key -> key.startsWith("RELAY_"));
    builder.environment().putAll(environment);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /** kill -9: no shutdown hook runs, sockets are reset by the kernel. */
  void kill() {
    Process p = current();
    p.destroyForcibly();
    awaitExit(p);
  }

  /** SIGTERM: the process stops gracefully (a gateway drains its sessions with 1012). */
  void terminate() {
    Process p = current();
    p.toHandle().destroy();
    awaitExit(p);
  }

  private void awaitExit(Process p) {
    try {
      if (!p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(name + " did not exit within " + EXIT_WAIT.toSeconds()
            + " s of the signal\n" + tail(40));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /**
   * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) with kill(1): the JDK can send only
   * TERM and KILL.
   */
  void signal(String signal) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + signal + " " + pid + " (" + name + ") failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** The last line of this incarnation's output containing {@code text}, or null. */
  String lastLineWith(String text) {
    Path file;
    synchronized (this) {
      file = log;
    }
    try {
      List<String> all = file == null ? List.of() : Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).contains(text)) {
          return all.get(i);
        }
      }
      return null;
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  /** Cleanup: kill -9 without waiting long; never fails. */
  void destroy() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return current().pid();
  }

  synchronized int incarnation() {
    return incarnation;
  }

  /** True when this incarnation's output so far contains {@code text}. */
  boolean said(String text) {
    Path file;
    synchronized (this) {
      file = log;
    }
    try {
      return file != null && Files.readString(file, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false; // not created yet
    }
  }

  /** The last {@code lines} lines of this incarnation's output, headed by the file name. */
  String tail(int lines) {
    Path file;
    synchronized (this) {
      file = log;
    }
    if (file == null) {
      return "== " + name + ": never started";
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return "== " + file + " (last " + Math.min(lines, all.size()) + " of " + all.size()
          + " lines)\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines),
              all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "== " + file + ": unreadable (" + e + ")";
    }
  }

  private synchronized Process current() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process;
  }

  @Override
  public String toString() {
    return name;
  }
}
