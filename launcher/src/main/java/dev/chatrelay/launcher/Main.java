package dev.chatrelay.launcher;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar relay.jar}: reads the configuration, starts the roles of {@code RELAY_ROLE}
 * and stops them gracefully on SIGTERM. Exit 2: invalid configuration; exit 1: start failed;
 * exit 3: split from the cluster and could not merge back (a restart rejoins).
 */
public final class Main {

  /** The configuration is invalid; the message names the variable. */
  static final int EXIT_INVALID_CONFIG = 2;
  /** A valid configuration failed to start (port taken, cluster unreachable, ...). */
  static final int EXIT_START_FAILED = 1;
  /** Split from the cluster and the merge back failed: restart the process to rejoin. */
  static final int EXIT_LEFT_CLUSTER = 3;
  /** Slack for closing Vert.x after the bounded shutdown steps. */
  static final long CLOSE_GRACE_MS = 5_000;

  private Main() {}

  public static void main(String[] args) {
    LoggingBackends.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    LaunchPlan plan;
    try {
      JsonObject values = ConfigLoader.loadFromProcess();
      plan = LaunchPlan.from(values);
    } catch (IllegalArgumentException e) {
      System.err.println("chat-relay: " + e.getMessage());
      System.exit(EXIT_INVALID_CONFIG);
      return;
    }
    RunningSystem system;
    try {
      system = SystemLauncher.start(plan).await();
    } catch (Exception e) {
      log.error("start failed cause={}", e.toString(), e);
      System.exit(EXIT_START_FAILED);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(system, log), "relay-shutdown"));
    // exit() runs the hook above (sessions close 1012); not on Hazelcast's event thread.
    system.onLeftClusterForGood(() -> new Thread(() -> System.exit(EXIT_LEFT_CLUSTER),
        "relay-left-cluster").start());
  }

  /** Runs in the JVM shutdown hook (SIGTERM, SIGINT): the graceful stop, bounded. */
  private static void stop(RunningSystem system, Logger log) {
    log.info("shutdown signal received");
    long bound = system.plan().launcher().shutdownTimeoutMs() + CLOSE_GRACE_MS;
    try {
      system.shutdown().await(bound, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.error("shutdown did not finish within {} ms, exiting anyway", bound);
    } catch (Exception e) {
      log.error("shutdown failed cause={}", e.toString());
    }
  }
}
