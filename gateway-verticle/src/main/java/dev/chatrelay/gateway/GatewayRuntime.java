package dev.chatrelay.gateway;

import dev.chatrelay.gateway.http.UserRateLimits;
import dev.chatrelay.gateway.metrics.GatewayMetrics;
import dev.chatrelay.gateway.ws.UserConnections;
import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.NodeIds;
import dev.chatrelay.protocol.cluster.ClusterMembership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State shared by every gateway verticle instance of one JVM: readiness, the drain, instance
 * ids and metrics. Thread-safe.
 */
public final class GatewayRuntime {

  private static final Logger log = LoggerFactory.getLogger(GatewayRuntime.class);

  /** The cluster node id, or random per JVM: gateway ids are unique across a cluster. */
  private final String nodeId;
  /** Relay membership when clustered (shard moves re-subscribe sessions), else null. */
  private final ClusterMembership membership;
  private final AtomicInteger instanceCounter = new AtomicInteger();
  private final List<DrainTarget> targets = new CopyOnWriteArrayList<>();
  private final List<Supplier<Boolean>> readinessConditions = new CopyOnWriteArrayList<>();
  private final List<Supplier<Boolean>> livenessConditions = new CopyOnWriteArrayList<>();
  private volatile boolean ready;
  private volatile boolean draining;
  /** True when /metrics and /admin are served on an internal port instead (RELAY_ADMIN_PORT). */
  private volatile boolean internalRoutesElsewhere;
  private Future<Void> drained;
  private GatewayMetrics metrics;
  /** The HTTP API's per-user limits, one set per process whatever the instance count. */
  private final AtomicReference<UserRateLimits> httpLimits = new AtomicReference<>();
  /** Sends per user (sockets and HTTP API together), one quota per process. */
  private final AtomicReference<UserRateLimits> sendQuota = new AtomicReference<>();
  /** Connections per user, counted across every instance of the process. */
  private final AtomicReference<UserConnections> userConnections = new AtomicReference<>();

  /** Not clustered: a random node id, no membership. */
  public GatewayRuntime() {
    this(randomNodeId(), null);
  }

  /**
   * Clustered: gateway ids start with the cluster node id {@code nodeId} (relays drop the
   * subscriptions of a node that left), and shard moves in {@code membership} re-subscribe.
   */
  public GatewayRuntime(String nodeId, ClusterMembership membership) {
    this.nodeId = nodeId;
    this.membership = membership;
  }

  private static String randomNodeId() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The process's HTTP per-user rate limits, created by the first instance that asks. */
  public UserRateLimits httpRateLimits(GatewayConfig config, Clock clock) {
    return httpLimits.updateAndGet(existing -> existing != null ? existing
        : new UserRateLimits(config.httpRatePerS(), config.httpRateBurst(), clock));
  }

  /**
   * Takes {@code /metrics} and {@code /admin/*} off the public port (they 404 there): the
   * process serves them on its internal port. Call before the gateway instances start.
   */
  public void serveInternalRoutesElsewhere() {
    internalRoutesElsewhere = true;
  }

  /** Whether the public port serves {@code /metrics} and {@code /admin/*}. */
  public boolean internalRoutesOnPublicPort() {
    return !internalRoutesElsewhere;
  }

  /** The process's per-user send quota, shared by all of a user's sockets and the HTTP API. */
  public UserRateLimits sendQuota(GatewayConfig config, Clock clock) {
    return sendQuota.updateAndGet(existing -> existing != null ? existing
        : new UserRateLimits(config.limits().sendRatePerS(), config.limits().sendBurst(), clock));
  }

  /** The process's count of connections per user, created by the first instance that asks. */
  public UserConnections userConnections(GatewayConfig config) {
    return userConnections.updateAndGet(existing -> existing != null ? existing
        : new UserConnections(config.limits().maxConnectionsPerUser()));
  }

  /** The cluster membership, or null when not clustered. */
  public ClusterMembership membership() {
    return membership;
  }

  /** Called once everything the process serves has started. */
  public void markReady() {
    ready = true;
    log.info("event=gateway.ready node={}", nodeId);
  }

  /** Ready after {@link #markReady()}, not draining, and every extra condition holds. */
  public boolean isReady() {
    if (!ready || draining) {
      return false;
    }
    for (Supplier<Boolean> condition : readinessConditions) {
      if (!conditionHolds(condition)) {
        return false;
      }
    }
    return true;
  }

  public boolean isDraining() {
    return draining;
  }

  /** An extra readiness condition, e.g. cluster membership; checked on every {@code /readyz}. */
  public void addReadinessCondition(Supplier<Boolean> condition) {
    readinessConditions.add(condition);
  }

  /** {@code /healthz}: false once a liveness condition fails (the orchestrator restarts us). */
  public boolean isLive() {
    for (Supplier<Boolean> condition : livenessConditions) {
      if (!conditionHolds(condition)) {
        return false;
      }
    }
    return true;
  }

  /** An extra liveness condition, checked on every {@code /healthz}. */
  public void addLivenessCondition(Supplier<Boolean> condition) {
    livenessConditions.add(condition);
  }

  /** Every instance closes its sessions on {@code shards} with 1013 (no owner reachable). */
  public void closeUnreachable(java.util.Set<Integer> shards) {
    for (DrainTarget target : targets) {
      target.closeUnreachable(shards);
    }
  }

  /**
   * Stops serving: readiness answers 503, upgrades are refused with 503, and every session is
   * closed with 1012, at most {@code RELAY_DRAIN_BATCH} per {@code RELAY_DRAIN_INTERVAL_MS}
   * across all instances. Completes when all sessions are closed or after
   * {@code RELAY_DRAIN_GRACE_MS}. Calling it again returns the same future.
   */
  public synchronized Future<Void> drain() {
    if (drained != null) {
      return drained;
    }
    draining = true;
    List<DrainTarget> snapshot = List.copyOf(targets);
    if (snapshot.isEmpty()) {
      log.info("event=drain.done node={} open=0", nodeId);
      drained = Future.succeededFuture();
      return drained;
    }
    GatewayConfig config = snapshot.get(0).config();
    Promise<Void> promise = Promise.promise();
    drained = promise.future();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainGraceMs());
    log.info("event=drain.start node={} open={}", nodeId, openSessions(snapshot));
    drainStep(snapshot.get(0).vertx(), snapshot, config, deadline, promise);
    return drained;
  }

  private void drainStep(Vertx vertx, List<DrainTarget> snapshot, GatewayConfig config,
      long deadline, Promise<Void> promise) {
    int open = openSessions(snapshot);
    if (open == 0) {
      log.info("event=drain.done node={} open=0", nodeId);
      promise.complete();
      return;
    }
    if (System.nanoTime() - deadline >= 0) {
      log.warn("event=drain.grace_passed node={} open={}", nodeId, open);
      promise.complete();
      return;
    }
    List<DrainTarget> busy = new ArrayList<>();
    for (DrainTarget t : snapshot) {
      if (t.openSessions() > 0) {
        busy.add(t);
      }
    }
    int batch = config.drainBatch();
    for (int i = 0; i < busy.size(); i++) {
      int share = batch / busy.size() + (i < batch % busy.size() ? 1 : 0);
      if (share > 0) {
        busy.get(i).closeSessions(share);
      }
    }
    // The next step, or the end of the grace if that comes first.
    long untilDeadlineMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    vertx.setTimer(Math.min(config.drainIntervalMs(), untilDeadlineMs),
        id -> drainStep(vertx, snapshot, config, deadline, promise));
  }

  private static int openSessions(List<DrainTarget> snapshot) {
    int open = 0;
    for (DrainTarget t : snapshot) {
      open += t.openSessions();
    }
    return open;
  }

  private static boolean conditionHolds(Supplier<Boolean> condition) {
    try {
      return Boolean.TRUE.equals(condition.get());
    } catch (RuntimeException e) {
      log.warn("event=readiness.condition_failed error={}", e.toString());
      return false;
    }
  }

  /** A gateway id unique in the cluster: this JVM's node id and an instance counter. */
  String nextGatewayId() {
    return NodeIds.of(nodeId, instanceCounter.incrementAndGet());
  }

  /** The metrics of every instance; created on first use, once the Vert.x registry exists. */
  synchronized GatewayMetrics metrics() {
    if (metrics == null) {
      metrics = GatewayMetrics.create();
    }
    return metrics;
  }

  void register(DrainTarget target) {
    targets.add(target);
  }

  void unregister(DrainTarget target) {
    targets.remove(target);
  }
}
