package dev.chatrelay.launcher;

import dev.chatrelay.gateway.GatewayRuntime;
import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started system and its graceful stop. {@link #shutdown()} is what SIGTERM runs: drain the
 * gateways (sessions close with 1012 and resume elsewhere), undeploy gateway, worker and relay,
 * stop the health server, close Vert.x (which leaves the cluster); the steps before the close
 * are bounded by {@code RELAY_SHUTDOWN_TIMEOUT_MS}.
 */
public final class RunningSystem {

  private static final Logger LOG = LoggerFactory.getLogger(RunningSystem.class);

  private final Vertx vertx;
  private final LaunchPlan plan;
  private final Readiness readiness;
  private final GatewayRuntime gatewayRuntime;
  private final String gatewayDeployment;
  private final String relayDeployment;
  private final String workerDeployment;
  private final HealthServer healthServer;
  private final HealthServer adminServer;
  private final Journal journal;
  private final ShardCoverage coverage;
  private final HazelcastMembership membership;
  private final Supplier<Future<Void>> closer;
  private Future<Void> drained;
  private Future<Void> shutdown;

  private RunningSystem(Builder b) {
    this.vertx = b.vertx;
    this.plan = b.plan;
    this.readiness = b.readiness;
    this.gatewayRuntime = b.gatewayRuntime;
    this.gatewayDeployment = b.gatewayDeployment;
    this.relayDeployment = b.relayDeployment;
    this.workerDeployment = b.workerDeployment;
    this.healthServer = b.healthServer;
    this.adminServer = b.adminServer;
    this.journal = b.journal;
    this.coverage = b.coverage;
    this.membership = b.membership;
    this.closer = b.closer;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Runs {@code action} when this lite member loses every data member of its cluster (see
   * {@link HazelcastMembership#onDataMembersLost}); never for a data member or without a cluster.
   */
  public void onDataMembersLost(Runnable action) {
    if (membership != null) {
      membership.onDataMembersLost(action);
    }
  }

  /** Whether this process sees a data member of its cluster (true when not clustered). */
  public boolean hasDataMember() {
    return membership == null || membership.hasDataMember();
  }

  public LaunchPlan plan() {
    return plan;
  }

  /** The runtime shared by this process's gateway instances, or null without a gateway. */
  public GatewayRuntime gatewayRuntime() {
    return gatewayRuntime;
  }

  /** Port of the separate health server, or 0 when there is none. */
  public int healthPort() {
    return healthServer == null ? 0 : healthServer.port();
  }

  /** Port of the internal admin listener (RELAY_ADMIN_PORT), or 0 when there is none. */
  public int adminPort() {
    return adminServer == null ? 0 : adminServer.port();
  }

  /**
   * Runs {@code action} if this process, split from the cluster, fails to merge back: it can
   * then never rejoin, and a stranded member must not keep serving (DECISIONS).
   */
  public void onLeftClusterForGood(Runnable action) {
    if (membership != null) {
      membership.onMergeFailed(action);
    }
  }

  /** Marks the system ready (gateway readiness and the health server) once every role started. */
  void markReady() {
    readiness.markStarted();
    if (gatewayRuntime != null) {
      gatewayRuntime.markReady();
    }
  }

  /** First shutdown step alone: every gateway session closes with 1012. Idempotent. */
  public synchronized Future<Void> drainGateways() {
    if (drained == null) {
      readiness.markStopping();
      if (gatewayRuntime == null) {
        drained = Future.succeededFuture();
      } else {
        LOG.info("event=shutdown.step step=drain-gateways");
        drained = gatewayRuntime.drain()
            .onSuccess(v -> LOG.info("event=shutdown.step_done step=drain-gateways"));
      }
    }
    return drained;
  }

  /** The whole graceful stop; idempotent, the returned future completes when Vert.x is closed. */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    long timeoutMs = plan.launcher().shutdownTimeoutMs();
    LOG.info("event=shutdown.begin timeoutMs={}", timeoutMs);
    Future<Void> steps = drainGateways()
        .compose(v -> undeploy("gateway", gatewayDeployment))
        .compose(v -> undeploy("worker", workerDeployment))
        .compose(v -> undeploy("relay", relayDeployment))
        .compose(v -> closeJournal())
        .compose(v -> closeHealthServer());
    shutdown = steps.timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> {
          LOG.warn("event=shutdown.incomplete then=close cause={}", err.toString());
          return Future.succeededFuture();
        })
        .compose(v -> {
          LOG.info("event=shutdown.step step=close-vertx clustered={}", plan.launcher().cluster().enabled());
          if (coverage != null) {
            coverage.stop();
          }
          if (membership != null) {
            membership.close();
          }
          return closer.get();
        })
        .onSuccess(v -> LOG.info("event=shutdown.complete"))
        .onFailure(err -> LOG.error("event=shutdown.close_failed cause={}", err.toString()));
    return shutdown;
  }

  private Future<Void> undeploy(String role, String deployment) {
    if (deployment == null) {
      return Future.succeededFuture();
    }
    LOG.info("event=shutdown.step step=undeploy role={} deployment={}", role, deployment);
    return vertx.undeploy(deployment);
  }

  private Future<Void> closeJournal() {
    if (journal == null) {
      return Future.succeededFuture();
    }
    LOG.info("event=shutdown.step step=close-journal");
    return journal.close();
  }

  private Future<Void> closeHealthServer() {
    if (healthServer == null && adminServer == null) {
      return Future.succeededFuture();
    }
    LOG.info("event=shutdown.step step=close-health-server");
    return Future.all(healthServer == null ? Future.succeededFuture() : healthServer.close(),
        adminServer == null ? Future.succeededFuture() : adminServer.close()).mapEmpty();
  }

  /** Collects deployment results while the roles start. */
  static final class Builder {
    private final Vertx vertx;
    private final LaunchPlan plan;
    private final Readiness readiness;
    GatewayRuntime gatewayRuntime;
    String gatewayDeployment;
    String relayDeployment;
    String workerDeployment;
    HealthServer healthServer;
    HealthServer adminServer;
    Journal journal;
    ShardCoverage coverage;
    HazelcastMembership membership;
    /** Closes Vert.x and, for a lite member, the Hazelcast instance the launcher started. */
    Supplier<Future<Void>> closer;

    Builder(Vertx vertx, LaunchPlan plan, Readiness readiness) {
      this.vertx = vertx;
      this.plan = plan;
      this.readiness = readiness;
    }

    RunningSystem build() {
      return new RunningSystem(this);
    }
  }
}
