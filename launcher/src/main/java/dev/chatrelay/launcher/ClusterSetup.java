package dev.chatrelay.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds the Hazelcast member configuration and the clustered event-bus options in code. */
public final class ClusterSetup {

  private ClusterSetup() {}

  public static HazelcastClusterManager clusterManager(ClusterConfig cluster, Role role) {
    return new MergeSafeClusterManager(hazelcastConfig(cluster, role));
  }

  /** The member configuration of a process running {@code role}. */
  public static Config hazelcastConfig(ClusterConfig cluster, Role role) {
    // Vert.x's default config declares the maps and multimaps its cluster manager needs.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster in its own close; Hazelcast's hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Join at once instead of waiting for more members to show up (defaults 5 s / 20 s).
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    // Failure detection: heartbeat every N s (default 5); a member silent for M s (+ N / 2) is
    // suspected by SilentMemberSweep; Hazelcast's own check (default 60 s) is the backstop.
    config.setProperty("hazelcast.heartbeat.interval.seconds",
        String.valueOf(cluster.heartbeatIntervalSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds",
        String.valueOf(hazelcastMaxNoHeartbeatSeconds(cluster)));
    // A member split off and reachable again merges back within seconds, not minutes (DECISIONS).
    config.setProperty("hazelcast.merge.first.run.delay.seconds",
        String.valueOf(cluster.mergeDelaySeconds()));
    config.setProperty("hazelcast.merge.next.run.delay.seconds",
        String.valueOf(cluster.mergeDelaySeconds()));
    // The election after the master is lost: a lower bound shortens a split's, but leaves out
    // members that lose the master a moment later (docs/DECISIONS.md).
    config.setProperty("hazelcast.mastership.claim.timeout.seconds",
        String.valueOf(cluster.mastershipClaimSeconds()));
    // A migration stuck on a paused member must not hold Vert.x's registrations for minutes.
    config.setProperty("hazelcast.partition.migration.timeout",
        String.valueOf(cluster.migrationTimeoutSeconds()));
    // Bind and advertise exactly RELAY_CLUSTER_HOST (loopback locally, the pod IP in Kubernetes).
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getJetConfig().setEnabled(false);
    // Metrics come from Vert.x/Micrometer; Hazelcast's own collector only costs CPU.
    config.getMetricsConfig().setEnabled(false);
    // A lite member holds no partitions: joining or leaving migrates nothing (see DECISIONS.md).
    config.setLiteMember(cluster.liteMember());
    // A leaving data member hands its partitions over for at most this long, inside the pod's grace.
    config.setProperty("hazelcast.graceful.shutdown.max.wait",
        String.valueOf(cluster.shutdownWaitSeconds()));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesService() != null) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-name", cluster.kubernetesService());
      if (cluster.kubernetesNamespace() != null) {
        join.getKubernetesConfig().setProperty("namespace", cluster.kubernetesNamespace());
      }
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    config.addListenerConfig(new ListenerConfig(new MembershipLogger()));
    // Roles travel with the member itself: others know them the moment it appears.
    config.getMemberAttributeConfig().setAttribute(HazelcastMembership.ROLES_ATTRIBUTE,
        HazelcastMembership.rolesAttribute(role));
    return config;
  }

  /**
   * Hazelcast's own deadline: two heartbeats after the configured one, so {@link
   * SilentMemberSweep} (half a heartbeat after it, checking every 100 ms) always acts first.
   */
  static int hazelcastMaxNoHeartbeatSeconds(ClusterConfig cluster) {
    return cluster.maxNoHeartbeatSeconds() + 2 * cluster.heartbeatIntervalSeconds();
  }

  /**
   * The event bus listens on RELAY_CLUSTER_HOST and advertises the same host to the others;
   * mutual TLS when {@link EventBusTls} is enabled. A connection to another node whose pong is
   * late is closed within seconds, not Vert.x's 40 s: after a cut link the old socket only
   * resends on TCP's backed-off timer, so messages would wait seconds past the heal.
   */
  public static EventBusOptions eventBusOptions(ClusterConfig cluster) {
    return cluster.eventBusTls().applyTo(new EventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host())
        .setClusterPingInterval(cluster.eventBusPingMs())
        .setClusterPingReplyInterval(cluster.eventBusPingTimeoutMs()));
  }
}
