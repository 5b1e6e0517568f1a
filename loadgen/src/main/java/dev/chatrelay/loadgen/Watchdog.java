package dev.chatrelay.loadgen;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The hard time bound of a command-line run: past it, print every thread's stack and exit. */
final class Watchdog {

  private Watchdog() {
  }

  static void start(long limitSeconds, int exitCode) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loadgen-watchdog");
      t.setDaemon(true);
      return t;
    });
    timer.schedule(() -> {
      System.err.println("loadgen: run exceeded its hard limit of " + limitSeconds + " s; thread dump:");
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        System.err.println("\"" + e.getKey().getName() + "\" " + e.getKey().getState());
        for (StackTraceElement f : e.getValue()) {
          System.err.println("    at " + f);
        }
      }
      Runtime.getRuntime().halt(exitCode);
    }, limitSeconds, TimeUnit.SECONDS);
  }
}
