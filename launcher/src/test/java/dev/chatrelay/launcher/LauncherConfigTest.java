package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherConfigTest {

  private static LauncherConfig config(Map<String, String> values) {
    return LauncherConfig.from(ConfigSource.of(values));
  }

  private static String failure(Map<String, String> values) {
    return assertThrows(InvalidConfigException.class, () -> config(values)).getMessage();
  }

  @Test
  void defaults() {
    LauncherConfig c = config(Map.of());
    assertEquals(Role.ALL, c.role());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.gatewayInstances());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.eventLoops());
    assertEquals(0, c.healthPort());
    assertEquals(LauncherConfig.DEFAULT_SHUTDOWN_TIMEOUT_MS, c.shutdownTimeoutMs());
    assertFalse(c.cluster().enabled());
    assertTrue(c.embedded());
  }

  @Test
  void overrides() {
    LauncherConfig c = config(Map.of(LauncherConfig.ROLE, "Worker",
        LauncherConfig.GATEWAY_INSTANCES, "3", LauncherConfig.HEALTH_PORT, "8081",
        LauncherConfig.EVENT_LOOPS, "1",
        LauncherConfig.SHUTDOWN_TIMEOUT_MS, "1500", ClusterConfig.MEMBERS, "10.0.0.1:5701"));
    assertEquals(Role.WORKER, c.role());
    assertEquals(3, c.gatewayInstances());
    assertEquals(1, c.eventLoops());
    assertEquals(8081, c.healthPort());
    assertEquals(1500, c.shutdownTimeoutMs());
    assertTrue(c.cluster().enabled());
    assertFalse(c.embedded());
  }

  @Test
  void unknownRoleNamesTheVariable() {
    String message = failure(Map.of(LauncherConfig.ROLE, "router"));
    assertTrue(message.contains("RELAY_ROLE") && message.contains("router"), message);
  }

  @Test
  void invalidNumbersNameTheVariable() {
    String message = failure(Map.of(LauncherConfig.GATEWAY_INSTANCES, "many"));
    assertTrue(message.contains("RELAY_GATEWAY_INSTANCES"), message);
    message = failure(Map.of(LauncherConfig.GATEWAY_INSTANCES, "0"));
    assertTrue(message.contains("RELAY_GATEWAY_INSTANCES"), message);
    message = failure(Map.of(LauncherConfig.EVENT_LOOPS, "0"));
    assertTrue(message.contains("RELAY_EVENT_LOOPS"), message);
    message = failure(Map.of(LauncherConfig.HEALTH_PORT, "70000"));
    assertTrue(message.contains("RELAY_HEALTH_PORT"), message);
    message = failure(Map.of(ClusterConfig.EVENTBUS_PORT, "-1"));
    assertTrue(message.contains("RELAY_EVENTBUS_PORT"), message);
  }

  @Test
  void singleRoleWithoutClusterIsRefused() {
    String message = failure(Map.of(LauncherConfig.ROLE, "relay"));
    assertTrue(message.contains("RELAY_ROLE") && message.contains("RELAY_CLUSTER_MEMBERS"),
        message);
  }

  @Test
  void clusteredAllIsNotEmbedded() {
    LauncherConfig c = config(Map.of(ClusterConfig.KUBERNETES_SERVICE, "relay-hz"));
    assertEquals(Role.ALL, c.role());
    assertFalse(c.embedded());
  }

  @Test
  void clusterDeploymentDefaults() {
    LauncherConfig c = config(Map.of());
    assertFalse(c.cluster().liteMember());
    assertEquals(ClusterConfig.DEFAULT_SHUTDOWN_WAIT_SECONDS, c.cluster().shutdownWaitSeconds());
    assertEquals(ClusterConfig.DEFAULT_DATA_MEMBER_WAIT_MS, c.cluster().dataMemberWaitMs());
    assertEquals(LauncherConfig.DEFAULT_READY_SHARD_GRACE_MS, c.readyShardGraceMs());
    assertEquals(0, c.adminPort());
  }

  @Test
  void gatewaysAndWorkersMayBeLiteMembersRelaysMayNot() {
    for (String role : new String[] {"gateway", "worker"}) {
      LauncherConfig c = config(Map.of(LauncherConfig.ROLE, role,
          ClusterConfig.MEMBERS, "10.0.0.1:5701", ClusterConfig.LITE_MEMBER, "true"));
      assertTrue(c.cluster().liteMember(), role);
    }
    for (String role : new String[] {"relay", "all"}) {
      String message = failure(Map.of(LauncherConfig.ROLE, role,
          ClusterConfig.MEMBERS, "10.0.0.1:5701", ClusterConfig.LITE_MEMBER, "true"));
      assertTrue(message.contains("RELAY_CLUSTER_LITE_MEMBER") && message.contains(role), message);
    }
  }

  @Test
  void adminPortMustDifferFromTheHealthPort() {
    assertEquals(9090, config(Map.of(LauncherConfig.ADMIN_PORT, "9090")).adminPort());
    String message = failure(Map.of(LauncherConfig.ADMIN_PORT, "8081",
        LauncherConfig.HEALTH_PORT, "8081"));
    assertTrue(message.contains("RELAY_ADMIN_PORT"), message);
    message = failure(Map.of(LauncherConfig.ADMIN_PORT, "70000"));
    assertTrue(message.contains("RELAY_ADMIN_PORT"), message);
  }

  @Test
  void shutdownBoundCoversTheStepsTheClusterLeaveAndTheClose() {
    LauncherConfig clustered = config(Map.of(ClusterConfig.MEMBERS, "10.0.0.1:5701",
        LauncherConfig.SHUTDOWN_TIMEOUT_MS, "25000", ClusterConfig.SHUTDOWN_WAIT_SECONDS, "10"));
    assertEquals(25_000 + 10_000 + Main.CLOSE_GRACE_MS, Main.shutdownBoundMs(clustered));
    LauncherConfig local = config(Map.of(LauncherConfig.SHUTDOWN_TIMEOUT_MS, "25000"));
    assertEquals(25_000 + Main.CLOSE_GRACE_MS, Main.shutdownBoundMs(local));
    String message = failure(Map.of(ClusterConfig.SHUTDOWN_WAIT_SECONDS, "0"));
    assertTrue(message.contains("RELAY_CLUSTER_SHUTDOWN_WAIT_SECONDS"), message);
  }

  @Test
  void shardUnreachableBoundsDefaultAndMustBeOrdered() {
    LauncherConfig c = config(Map.of());
    assertEquals(20_000, c.shardUnreachableCloseMs());
    assertEquals(60_000, c.shardUnreachableUnhealthyMs());
    String message = failure(Map.of(LauncherConfig.SHARD_UNREACHABLE_CLOSE_MS, "9000",
        LauncherConfig.SHARD_UNREACHABLE_UNHEALTHY_MS, "9000"));
    assertTrue(message.contains("RELAY_SHARD_UNREACHABLE_UNHEALTHY_MS"), message);
    message = failure(Map.of(LauncherConfig.SHARD_UNREACHABLE_CLOSE_MS, "soon"));
    assertTrue(message.contains("RELAY_SHARD_UNREACHABLE_CLOSE_MS"), message);
  }
}
