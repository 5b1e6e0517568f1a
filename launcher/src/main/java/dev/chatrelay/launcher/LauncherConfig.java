package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.launcher.log.LogFormat;
import dev.chatrelay.protocol.config.Setting;
import dev.chatrelay.protocol.config.Settings;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the launcher itself reads: which roles to run, how many, health port, shutdown bound,
 * log format.
 */
public record LauncherConfig(
    Role role,
    int eventLoops,
    int gatewayInstances,
    int healthPort,
    long shutdownTimeoutMs,
    long readyCheckMs,
    ClusterConfig cluster,
    LogFormat logFormat,
    long readyShardGraceMs,
    int adminPort,
    long shardUnreachableCloseMs,
    long shardUnreachableUnhealthyMs) {

  public static final String ROLE = Settings.ROLE.name();
  public static final String EVENT_LOOPS = Settings.EVENT_LOOPS.name();
  public static final String GATEWAY_INSTANCES = Settings.GATEWAY_INSTANCES.name();
  public static final String HEALTH_PORT = Settings.HEALTH_PORT.name();
  public static final String SHUTDOWN_TIMEOUT_MS = Settings.SHUTDOWN_TIMEOUT_MS.name();
  public static final String READY_CHECK_MS = Settings.READY_CHECK_MS.name();
  public static final String READY_SHARD_GRACE_MS = Settings.READY_SHARD_GRACE_MS.name();
  public static final String ADMIN_PORT = Settings.ADMIN_PORT.name();
  public static final String SHARD_UNREACHABLE_CLOSE_MS = Settings.SHARD_UNREACHABLE_CLOSE_MS.name();
  public static final String SHARD_UNREACHABLE_UNHEALTHY_MS = Settings.SHARD_UNREACHABLE_UNHEALTHY_MS.name();

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final Role DEFAULT_ROLE = Role.parse(ROLE, Settings.ROLE.fallback());
  /** Computed at start (the registry says "cores"): one gateway verticle per core. */
  public static final int DEFAULT_GATEWAY_INSTANCES = Runtime.getRuntime().availableProcessors();
  /** Computed at start (the registry says "cores"): one event loop per core. */
  public static final int DEFAULT_EVENT_LOOPS = Runtime.getRuntime().availableProcessors();
  public static final int DEFAULT_HEALTH_PORT = Settings.HEALTH_PORT.intDefault();
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = Settings.SHUTDOWN_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_READY_CHECK_MS = Settings.READY_CHECK_MS.longDefault();
  public static final long DEFAULT_READY_SHARD_GRACE_MS = Settings.READY_SHARD_GRACE_MS.longDefault();
  public static final int DEFAULT_ADMIN_PORT = Settings.ADMIN_PORT.intDefault();
  public static final long DEFAULT_SHARD_UNREACHABLE_CLOSE_MS = Settings.SHARD_UNREACHABLE_CLOSE_MS.longDefault();
  public static final long DEFAULT_SHARD_UNREACHABLE_UNHEALTHY_MS = Settings.SHARD_UNREACHABLE_UNHEALTHY_MS.longDefault();

  /** The first vertx-config store: the registry's defaults of the launcher and cluster settings. */
  public static JsonObject defaultValues() {
    JsonObject values = new JsonObject()
        .put(GATEWAY_INSTANCES, String.valueOf(DEFAULT_GATEWAY_INSTANCES))
        .put(EVENT_LOOPS, String.valueOf(DEFAULT_EVENT_LOOPS));
    for (Setting s : List.of(Settings.ROLE, Settings.HEALTH_PORT, Settings.SHUTDOWN_TIMEOUT_MS,
        Settings.CLUSTER_NAME, Settings.CLUSTER_HOST, Settings.CLUSTER_PORT,
        Settings.EVENTBUS_PORT)) {
      values.put(s.name(), s.fallback());
    }
    return values;
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
    int healthPort = source.intValue(Settings.HEALTH_PORT);
    int adminPort = source.intValue(Settings.ADMIN_PORT);
    if (adminPort > 0 && adminPort == healthPort) {
      throw new InvalidConfigException(ADMIN_PORT, String.valueOf(adminPort),
          "a port other than " + HEALTH_PORT);
    }
    long closeMs = source.longValue(Settings.SHARD_UNREACHABLE_CLOSE_MS);
    long unhealthyMs = source.longValue(Settings.SHARD_UNREACHABLE_UNHEALTHY_MS);
    if (unhealthyMs <= closeMs) {
      throw new InvalidConfigException(SHARD_UNREACHABLE_UNHEALTHY_MS, String.valueOf(unhealthyMs),
          "more than " + SHARD_UNREACHABLE_CLOSE_MS + " (" + closeMs + ")");
    }
    return new LauncherConfig(
        role,
        source.intValue(Settings.EVENT_LOOPS, DEFAULT_EVENT_LOOPS),
        source.intValue(Settings.GATEWAY_INSTANCES, DEFAULT_GATEWAY_INSTANCES),
        healthPort,
        source.longValue(Settings.SHUTDOWN_TIMEOUT_MS),
        source.longValue(Settings.READY_CHECK_MS),
        cluster,
        LogFormat.parse(source.checked(Settings.LOG_FORMAT, LogFormat::valid, "text or json")),
        source.longValue(Settings.READY_SHARD_GRACE_MS),
        adminPort,
        closeMs,
        unhealthyMs);
  }

  /** One JVM with every role, a local event bus and dev conveniences. */
  public boolean embedded() {
    return role == Role.ALL && !cluster.enabled();
  }
}
