package dev.chatrelay.launcher;

import dev.chatrelay.launcher.log.LogFormat;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar relay.jar}: reads the configuration, starts the roles of {@code RELAY_ROLE}
 * and stops them gracefully on SIGTERM. Exit 2: invalid configuration; exit 1: start failed;
 * exit 3: a lite member saw no data member of its cluster for {@code
 *   RELAY_CLUSTER_DATA_MEMBER_LOSS_GRACE_MS}.
 * exit 4: split from the cluster and could not merge back (a restart rejoins).
 */
public final class Main {

  /** The configuration is invalid; the message names the variable. */
  static final int EXIT_INVALID_CONFIG = 2;
  /** A valid configuration failed to start (port taken, cluster unreachable, ...). */
  static final int EXIT_START_FAILED = 1;
  /** A lite member lost every data member (relay): it exits to be restarted and re-register. */
  static final int EXIT_DATA_MEMBERS_LOST = 3;
  /** Split from the cluster and the merge back failed: restart the process to rejoin. */
  static final int EXIT_LEFT_CLUSTER = 4;
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
      LogFormat.apply(plan.launcher().logFormat());
    } catch (IllegalArgumentException e) {
      System.err.println("chat-relay: " + e.getMessage());
      System.exit(EXIT_INVALID_CONFIG);
      return;
    }
    for (String name : plan.unknownVariables()) {
      log.warn("event=config.unknown_variable name={} hint=\"not a setting of this version:"
          + " ignored; see the README configuration table\"", name);
    }
    RunningSystem system;
    try {
      system = SystemLauncher.start(plan).await();
    } catch (Exception e) {
      log.error("event=system.start_failed cause={}", e.toString(), e);
      System.exit(EXIT_START_FAILED);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(system, log), "relay-shutdown"));
    // Off the Hazelcast event thread: exit runs the shutdown hook, which leaves the cluster.
    system.onDataMembersLost(() -> new Thread(() -> {
      // A lite member thawed or reconnected after a pause or a partition sees no relay until
      // the split-brain check after it merges it back: wait for that before giving up.
      long graceMs = system.plan().launcher().cluster().dataMemberLossGraceMs();
      if (waitForDataMember(system, graceMs)) {
        log.info("event=cluster.data_members_back graceMs={}", graceMs);
        return;
      }
      log.error("event=cluster.exit reason=no-data-member exitCode={}", EXIT_DATA_MEMBERS_LOST);
      System.exit(EXIT_DATA_MEMBERS_LOST);
    }, "relay-exit").start());
    // exit() runs the hook above (sessions close 1012); not on Hazelcast's event thread.
    system.onLeftClusterForGood(() -> new Thread(() -> {
      log.error("event=cluster.exit reason=merge-failed exitCode={}", EXIT_LEFT_CLUSTER);
      System.exit(EXIT_LEFT_CLUSTER);
    }, "relay-left-cluster").start());
  }

  private static boolean waitForDataMember(RunningSystem system, long graceMs) {
    long deadline = System.nanoTime() + graceMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (system.hasDataMember()) {
        return true;
      }
      try {
        Thread.sleep(200); // a dedicated exit thread polling the member list, not an event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return system.hasDataMember();
  }

  /** How long a graceful stop may take: the steps, Hazelcast's partition hand-off, the close. */
  static long shutdownBoundMs(LauncherConfig launcher) {
    long clusterLeave = launcher.cluster().enabled()
        ? launcher.cluster().shutdownWaitSeconds() * 1000L : 0;
    return launcher.shutdownTimeoutMs() + clusterLeave + CLOSE_GRACE_MS;
  }

  /** Runs in the JVM shutdown hook (SIGTERM, SIGINT): the graceful stop, bounded. */
  private static void stop(RunningSystem system, Logger log) {
    log.info("event=shutdown.signal");
    long bound = shutdownBoundMs(system.plan().launcher());
    try {
      system.shutdown().await(bound, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.error("event=shutdown.timeout boundMs={}", bound);
    } catch (Exception e) {
      log.error("event=shutdown.failed cause={}", e.toString());
    }
  }
}
