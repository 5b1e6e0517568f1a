package dev.chatrelay.launcher;

import dev.chatrelay.protocol.cluster.ClusterMembership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the process's Vert.x: Prometheus metrics always, clustered when configured. */
public final class VertxFactory {

  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  /**
   * The Vert.x instance and, when clustered, its cluster manager and membership (else null).
   */
  public record Created(Vertx vertx, ClusterManager clusterManager,
      HazelcastMembership membershipImpl) {

    /** False once the cluster manager left the cluster; always true when not clustered. */
    public boolean clusterActive() {
      return clusterManager == null || clusterManager.isActive();
    }

    public boolean clustered() {
      return clusterManager != null;
    }

    /** The live members and their roles, or null when not clustered. */
    public ClusterMembership membership() {
      return membershipImpl;
    }

    /** This process's cluster node id, or null when not clustered. */
    public String nodeId() {
      return clusterManager == null ? null : clusterManager.getNodeId();
    }
  }

  private VertxFactory() {}

  /** A process running every role (tests). */
  public static Future<Created> create(ClusterConfig cluster) {
    return create(cluster, Role.ALL);
  }

  public static Future<Created> create(ClusterConfig cluster, Role role) {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Per-address event-bus meters cost a registry lookup on every message (measured with
        // JFR on the delivery hot path); the roles count what matters themselves.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory());
    if (!cluster.enabled()) {
      return Future.succeededFuture(new Created(builder.with(options).build(), null, null));
    }
    logEventBusProtection(cluster.eventBusTls());
    options.setEventBusOptions(ClusterSetup.eventBusOptions(cluster));
    HazelcastClusterManager clusterManager = ClusterSetup.clusterManager(cluster, role);
    return builder.with(options)
        .withClusterManager(clusterManager)
        .buildClustered()
        .map(vertx -> new Created(vertx, clusterManager, new HazelcastMembership(
            clusterManager.getHazelcastInstance(), clusterManager.getNodeId())));
  }

  /** Plaintext cluster traffic is allowed (tests, isolated networks) but never silent. */
  private static void logEventBusProtection(EventBusTls tls) {
    if (tls.enabled()) {
      LOG.info("event=eventbus.tls mode={} cert={} ca={} clientAuth=required",
          tls.mode().name().toLowerCase(java.util.Locale.ROOT), tls.cert(), tls.ca());
    } else if (tls.mode() == EventBusTls.Mode.OFF) {
      LOG.warn("event=eventbus.plaintext mode=off: event-bus frames between nodes are neither"
          + " encrypted nor authenticated ({}=off)", EventBusTls.MODE);
    } else {
      LOG.warn("event=eventbus.plaintext mode=auto: CLUSTER TRAFFIC IS UNAUTHENTICATED; any"
          + " process that reaches a pod can join and read or inject event-bus frames. Set {},"
          + " {} and {} (see docs/SECURITY.md), or {}=off to accept this.",
          EventBusTls.CERT, EventBusTls.KEY, EventBusTls.CA, EventBusTls.MODE);
    }
  }
}
