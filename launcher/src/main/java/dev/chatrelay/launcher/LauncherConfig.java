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
    long readyShardGraceMs,
    int adminPort) {

  public static final String ROLE = "RELAY_ROLE";
  public static final String GATEWAY_INSTANCES = "RELAY_GATEWAY_INSTANCES";
  public static final String HEALTH_PORT = "RELAY_HEALTH_PORT";
  public static final String SHUTDOWN_TIMEOUT_MS = "RELAY_SHUTDOWN_TIMEOUT_MS";
  public static final String READY_CHECK_MS = "RELAY_READY_CHECK_MS";
  public static final String READY_SHARD_GRACE_MS = "RELAY_READY_SHARD_GRACE_MS";
  public static final String ADMIN_PORT = "RELAY_ADMIN_PORT";

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
  /** A shard without a relay for less than this (a handover) keeps a gateway ready. */
  public static final long DEFAULT_READY_SHARD_GRACE_MS = 15_000;
  /** 0 = no internal listener: /metrics and /admin stay on the gateway's public port. */
  public static final int DEFAULT_ADMIN_PORT = 0;

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
    if (cluster.liteMember() && role.runsRelay()) {
      throw new InvalidConfigException(ClusterConfig.LITE_MEMBER, "true",
          "false for RELAY_ROLE=" + role.wire() + ": relays are the data members that hold"
              + " Vert.x's cluster maps");
    }
    if (role != Role.ALL && !cluster.enabled()) {
      throw new InvalidConfigException(ROLE + "=" + role.wire()
          + " runs one role only, so it needs " + ClusterConfig.MEMBERS + " or "
          + ClusterConfig.KUBERNETES_SERVICE + " to reach the other roles");
    }
    int healthPort = source.intValue(HEALTH_PORT, DEFAULT_HEALTH_PORT, 0, 65535);
    int adminPort = source.intValue(ADMIN_PORT, DEFAULT_ADMIN_PORT, 0, 65535);
    if (adminPort > 0 && adminPort == healthPort) {
      throw new InvalidConfigException(ADMIN_PORT, String.valueOf(adminPort),
          "a port other than " + HEALTH_PORT);
    }
    return new LauncherConfig(
        role,
        source.intValue(GATEWAY_INSTANCES, DEFAULT_GATEWAY_INSTANCES, 1, 1024),
        healthPort,
        source.longValue(SHUTDOWN_TIMEOUT_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS, 100, 600_000),
        source.longValue(READY_CHECK_MS, DEFAULT_READY_CHECK_MS, 10, 600_000),
        cluster,
        source.longValue(READY_SHARD_GRACE_MS, DEFAULT_READY_SHARD_GRACE_MS, 0, 600_000),
        adminPort);
  }

  /** One JVM with every role, a local event bus and dev conveniences. */
  public boolean embedded() {
    return role == Role.ALL && !cluster.enabled();
  }
}
