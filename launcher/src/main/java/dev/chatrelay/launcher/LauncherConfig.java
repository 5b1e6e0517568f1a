package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import io.vertx.core.json.JsonObject;

/** What the launcher itself reads: which roles to run, how many, health port, shutdown bound. */
public record LauncherConfig(
    Role role,
    int gatewayInstances,
    int healthPort,
    long shutdownTimeoutMs,
    long readyCheckMs,
    ClusterConfig cluster,
    long shardUnreachableCloseMs,
    long shardUnreachableUnhealthyMs) {

  public static final String ROLE = "RELAY_ROLE";
  public static final String GATEWAY_INSTANCES = "RELAY_GATEWAY_INSTANCES";
  public static final String HEALTH_PORT = "RELAY_HEALTH_PORT";
  public static final String SHUTDOWN_TIMEOUT_MS = "RELAY_SHUTDOWN_TIMEOUT_MS";
  public static final String READY_CHECK_MS = "RELAY_READY_CHECK_MS";
  public static final String SHARD_UNREACHABLE_CLOSE_MS = "RELAY_SHARD_UNREACHABLE_CLOSE_MS";
  public static final String SHARD_UNREACHABLE_UNHEALTHY_MS =
      "RELAY_SHARD_UNREACHABLE_UNHEALTHY_MS";

  /** Every role in one process. */
  public static final Role DEFAULT_ROLE = Role.ALL;
  /** One gateway verticle per core spreads sockets over all event loops. */
  public static final int DEFAULT_GATEWAY_INSTANCES = Runtime.getRuntime().availableProcessors();
  /** 0 = no separate health server (the gateway serves its own probes). */
  public static final int DEFAULT_HEALTH_PORT = 0;
  /** Upper bound of a graceful stop; below Kubernetes' default 30 s grace period. */
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;
  /** A clustered gateway checks this often that some relay consumes every shard (readiness). */
  public static final long DEFAULT_READY_CHECK_MS = 1_000;
  /** A gateway closes (1013) the sessions of a shard no relay consumed for this long. */
  public static final long DEFAULT_SHARD_UNREACHABLE_CLOSE_MS = 10_000;
  /** A gateway with a shard no relay consumed for this long fails /healthz (restart it). */
  public static final long DEFAULT_SHARD_UNREACHABLE_UNHEALTHY_MS = 60_000;

  /** The launcher's defaults as the first vertx-config store. */
  public static JsonObject defaultValues() {
    return new JsonObject()
        .put(ROLE, DEFAULT_ROLE.wire())
        .put(GATEWAY_INSTANCES, String.valueOf(DEFAULT_GATEWAY_INSTANCES))
        .put(HEALTH_PORT, String.valueOf(DEFAULT_HEALTH_PORT))
        .put(SHUTDOWN_TIMEOUT_MS, String.valueOf(DEFAULT_SHUTDOWN_TIMEOUT_MS))
        .put(ClusterConfig.NAME, ClusterConfig.DEFAULT_NAME)
        .put(ClusterConfig.HOST, ClusterConfig.DEFAULT_HOST)
        .put(ClusterConfig.PORT, String.valueOf(ClusterConfig.DEFAULT_PORT))
        .put(ClusterConfig.EVENTBUS_PORT, String.valueOf(ClusterConfig.DEFAULT_EVENTBUS_PORT));
  }

  public static LauncherConfig from(ConfigSource source) {
    String roleValue = source.raw(ROLE);
    Role role = roleValue == null ? DEFAULT_ROLE : Role.parse(ROLE, roleValue);
    ClusterConfig cluster = ClusterConfig.from(source);
    if (role != Role.ALL && !cluster.enabled()) {
      throw new InvalidConfigException(ROLE + "=" + role.wire()
          + " runs one role only, so it needs " + ClusterConfig.MEMBERS + " or "
          + ClusterConfig.KUBERNETES_SERVICE + " to reach the other roles");
    }
    long closeMs = source.longValue(SHARD_UNREACHABLE_CLOSE_MS,
        DEFAULT_SHARD_UNREACHABLE_CLOSE_MS, 100, 3_600_000);
    long unhealthyMs = source.longValue(SHARD_UNREACHABLE_UNHEALTHY_MS,
        DEFAULT_SHARD_UNREACHABLE_UNHEALTHY_MS, 100, 3_600_000);
    if (unhealthyMs <= closeMs) {
      throw new InvalidConfigException(SHARD_UNREACHABLE_UNHEALTHY_MS, String.valueOf(unhealthyMs),
          "more than " + SHARD_UNREACHABLE_CLOSE_MS + " (" + closeMs + ")");
    }
    return new LauncherConfig(
        role,
        source.intValue(GATEWAY_INSTANCES, DEFAULT_GATEWAY_INSTANCES, 1, 1024),
        source.intValue(HEALTH_PORT, DEFAULT_HEALTH_PORT, 0, 65535),
        source.longValue(SHUTDOWN_TIMEOUT_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS, 100, 600_000),
        source.longValue(READY_CHECK_MS, DEFAULT_READY_CHECK_MS, 10, 600_000),
        cluster,
        closeMs,
        unhealthyMs);
  }

  /** One JVM with every role, a local event bus and dev conveniences. */
  public boolean embedded() {
    return role == Role.ALL && !cluster.enabled();
  }
}
