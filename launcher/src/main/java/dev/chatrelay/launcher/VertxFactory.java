package dev.chatrelay.launcher;

import dev.chatrelay.protocol.cluster.ClusterMembership;
import com.hazelcast.core.HazelcastInstance;
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
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the process's Vert.x: Prometheus metrics always, clustered when configured. */
public final class VertxFactory {

  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  /**
   * The Vert.x instance and, when clustered, its cluster manager and membership (else null).
   */
  public record Created(Vertx vertx, ClusterManager clusterManager,
      HazelcastMembership membershipImpl, HazelcastInstance ownedHazelcast,
      SilentMemberSweep sweep) {

    /**
     * Closes Vert.x (which leaves the cluster), then the Hazelcast member it was given when
     * this process started it itself (a lite member; Vert.x does not stop such an instance).
     */
    public Future<Void> close() {
      if (sweep != null) {
        sweep.close();
      }
      Future<Void> closed = vertx.close();
      if (ownedHazelcast == null) {
        return closed;
      }
      return closed.eventually(() -> Future.fromCompletionStage(
          CompletableFuture.runAsync(ownedHazelcast.getLifecycleService()::shutdown)));
    }

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
    return create(cluster, role, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
  }

  /** A process with {@code eventLoops} event-loop threads ({@code RELAY_EVENT_LOOPS}). */
  public static Future<Created> create(ClusterConfig cluster, Role role, int eventLoops) {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops).setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Per-address event-bus meters cost a registry lookup on every message (measured with
        // JFR on the delivery hot path); the roles count what matters themselves.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory());
    if (!cluster.enabled()) {
      return Future.succeededFuture(
          new Created(builder.with(options).build(), null, null, null, null));
    }
    logEventBusProtection(cluster.eventBusTls());
    options.setEventBusOptions(ClusterSetup.eventBusOptions(cluster));
    if (!cluster.liteMember()) {
      return clustered(builder.with(options), ClusterSetup.clusterManager(cluster, role), null,
          cluster);
    }
    // A lite member joins first and waits for a data member to hold Vert.x's maps.
    return LiteMemberStart.start(ClusterSetup.hazelcastConfig(cluster, role),
            cluster.dataMemberWaitMs())
        .compose(hazelcast -> clustered(builder.with(options),
                new MergeSafeClusterManager(hazelcast), hazelcast, cluster)
            .onFailure(err -> hazelcast.getLifecycleService().terminate()));
  }

  private static Future<Created> clustered(VertxBuilder builder,
      HazelcastClusterManager clusterManager, HazelcastInstance owned, ClusterConfig cluster) {
    return builder.withClusterManager(clusterManager)
        .buildClustered()
        .map(vertx -> {
          HazelcastInstance hazelcast = clusterManager.getHazelcastInstance();
          return new Created(vertx, clusterManager,
              new HazelcastMembership(hazelcast, clusterManager.getNodeId()), owned,
              SilentMemberSweep.start(hazelcast, cluster));
        });
  }

  /** Plaintext cluster traffic is allowed (tests, isolated networks) but never silent. */
  private static void logEventBusProtection(EventBusTls tls) {
    if (tls.enabled()) {
      LOG.info("event=eventbus.tls mode={} cert={} ca={} clientAuth=required",
          tls.mode().name().toLowerCase(java.util.Locale.ROOT), tls.cert(), tls.ca());
    } else if (tls.mode() == EventBusTls.Mode.OFF) {
      LOG.warn("event=eventbus.plaintext mode=off setting={} hint=\"event-bus frames between"
          + " nodes are neither encrypted nor authenticated\"", EventBusTls.MODE);
    } else {
      LOG.warn("event=eventbus.plaintext mode=auto hint=\"CLUSTER TRAFFIC IS UNAUTHENTICATED:"
          + " any process that reaches a pod can join and read or inject event-bus frames; set"
          + " {}, {} and {} (docs/SECURITY.md), or {}=off to accept this\"",
          EventBusTls.CERT, EventBusTls.KEY, EventBusTls.CA, EventBusTls.MODE);
    }
  }
}
