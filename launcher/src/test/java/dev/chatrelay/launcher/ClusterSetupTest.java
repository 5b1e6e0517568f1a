package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import io.vertx.core.eventbus.EventBusOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {

  private static ClusterConfig cluster(Map<String, String> values) {
    return ClusterConfig.from(ConfigSource.of(values));
  }

  private static String failure(Map<String, String> values) {
    return assertThrows(InvalidConfigException.class, () -> cluster(values)).getMessage();
  }

  @Test
  void membersAreParsedOnePerHostPort() {
    ClusterConfig c = cluster(Map.of(ClusterConfig.MEMBERS,
        " 127.0.0.1:5701, relay-1.example:5702 ,,[::1]:5703"));
    assertEquals(List.of("127.0.0.1:5701", "relay-1.example:5702", "[::1]:5703"), c.members());
    assertTrue(c.enabled());
  }

  @Test
  void noMembersMeansNotClustered() {
    ClusterConfig c = cluster(Map.of());
    assertFalse(c.enabled());
    assertEquals("127.0.0.1", c.host());
    assertEquals(5701, c.port());
    assertEquals(0, c.eventBusPort());
    assertEquals("chat-relay", c.name());
  }

  @Test
  void portRangeIsRefusedWithAClearMessage() {
    String message = failure(Map.of(ClusterConfig.MEMBERS, "127.0.0.1:5701-5710"));
    assertTrue(message.contains("RELAY_CLUSTER_MEMBERS"), message);
    assertTrue(message.contains("range"), message);
  }

  @Test
  void memberWithoutPortOrWithBadPortIsRefused() {
    assertTrue(failure(Map.of(ClusterConfig.MEMBERS, "127.0.0.1")).contains("no port"));
    assertTrue(failure(Map.of(ClusterConfig.MEMBERS, "a:b")).contains("RELAY_CLUSTER_MEMBERS"));
    assertTrue(failure(Map.of(ClusterConfig.MEMBERS, "a:0")).contains("out of range"));
  }

  @Test
  void membersAndKubernetesTogetherAreRefused() {
    String message = failure(Map.of(ClusterConfig.MEMBERS, "a:1",
        ClusterConfig.KUBERNETES_SERVICE, "svc"));
    assertTrue(message.contains("RELAY_CLUSTER_MEMBERS")
        && message.contains("RELAY_CLUSTER_KUBERNETES_SERVICE"), message);
  }

  @Test
  void heartbeatMustBeShorterThanTheFailureTimeout() {
    String message = failure(Map.of(ClusterConfig.HEARTBEAT_SECONDS, "5",
        ClusterConfig.MAX_NO_HEARTBEAT_SECONDS, "5"));
    assertTrue(message.contains("RELAY_CLUSTER_MAX_NO_HEARTBEAT_SECONDS"), message);
  }

  @Test
  void tcpIpConfigIsBuiltInCode() {
    ClusterConfig c = cluster(Map.of(ClusterConfig.MEMBERS, "127.0.0.1:6701,127.0.0.1:6702",
        ClusterConfig.NAME, "test-cluster", ClusterConfig.PORT, "6701",
        ClusterConfig.EVENTBUS_PORT, "6801"));
    Config config = ClusterSetup.hazelcastConfig(c, Role.RELAY);
    assertEquals("test-cluster", config.getClusterName());
    assertEquals(6701, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:6701", "127.0.0.1:6702"), join.getTcpIpConfig().getMembers());
    assertFalse(config.getJetConfig().isEnabled());
    assertFalse(config.getMetricsConfig().isEnabled());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("false", config.getProperty("hazelcast.shutdownhook.enabled"));
    assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals("0", config.getProperty("hazelcast.max.wait.seconds.before.join"));
    assertEquals("1", config.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("6", config.getProperty("hazelcast.max.no.heartbeat.seconds"),
        "after SilentMemberSweep's 4.5 s: the sweep suspects first");
    assertEquals(4_500, SilentMemberSweep.maxSilenceMs(c));
    assertEquals("120", config.getProperty("hazelcast.mastership.claim.timeout.seconds"),
        "Hazelcast's own election bound, set explicitly");
    assertEquals("127.0.0.1", config.getProperty("hazelcast.local.localAddress"));
    assertEquals("slf4j", config.getProperty("hazelcast.logging.type"));
    assertFalse(config.isLiteMember(), "a data member by default");
    assertEquals("10", config.getProperty("hazelcast.graceful.shutdown.max.wait"),
        "the graceful leave fits the pod's grace period");
    assertTrue(config.getMapConfigs().containsKey("__vertx.nodeInfo"), "Vert.x maps kept");
    assertEquals(1, config.getListenerConfigs().size(), "membership logger");
    assertEquals("relay", config.getMemberAttributeConfig().getAttributes()
        .get(HazelcastMembership.ROLES_ATTRIBUTE), "roles travel with the member");
    assertEquals("gateway,relay,worker", ClusterSetup.hazelcastConfig(c, Role.ALL)
        .getMemberAttributeConfig().getAttributes().get(HazelcastMembership.ROLES_ATTRIBUTE));

    EventBusOptions bus = ClusterSetup.eventBusOptions(c);
    assertEquals("127.0.0.1", bus.getHost());
    assertEquals(6801, bus.getPort());
    assertEquals("127.0.0.1", bus.getClusterPublicHost());
    assertEquals(1_000, bus.getClusterPingInterval(), "a dead bus connection is noticed in seconds");
    assertEquals(3_000, bus.getClusterPingReplyInterval());
  }

  @Test
  void kubernetesDiscoveryReplacesTcpIp() {
    ClusterConfig c = cluster(Map.of(ClusterConfig.KUBERNETES_SERVICE, "relay-hazelcast",
        ClusterConfig.KUBERNETES_NAMESPACE, "chat", ClusterConfig.HOST, "10.1.2.3"));
    JoinConfig join = ClusterSetup.hazelcastConfig(c, Role.GATEWAY).getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("relay-hazelcast", join.getKubernetesConfig().getProperty("service-name"));
    assertEquals("chat", join.getKubernetesConfig().getProperty("namespace"));
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
  }

  @Test
  void liteMemberAndShutdownWaitComeFromTheConfig() {
    ClusterConfig c = cluster(Map.of(ClusterConfig.MEMBERS, "127.0.0.1:6701",
        ClusterConfig.LITE_MEMBER, "true", ClusterConfig.SHUTDOWN_WAIT_SECONDS, "7"));
    Config config = ClusterSetup.hazelcastConfig(c, Role.GATEWAY);
    assertTrue(config.isLiteMember());
    assertEquals("7", config.getProperty("hazelcast.graceful.shutdown.max.wait"));
    assertTrue(failure(Map.of(ClusterConfig.LITE_MEMBER, "sometimes"))
        .contains("RELAY_CLUSTER_LITE_MEMBER"));
  }

  @Test
  void aSplitMemberLooksForTheRestEveryMergeDelay() {
    ClusterConfig c = cluster(Map.of(ClusterConfig.MEMBERS, "127.0.0.1:6701"));
    assertEquals(3, c.mergeDelaySeconds());
    Config config = ClusterSetup.hazelcastConfig(c, Role.GATEWAY);
    assertEquals("3", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("3", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals("10", config.getProperty("hazelcast.partition.migration.timeout"));
    assertTrue(failure(Map.of(ClusterConfig.MERGE_DELAY_SECONDS, "0"))
        .contains("RELAY_CLUSTER_MERGE_DELAY_SECONDS"));
  }
}
