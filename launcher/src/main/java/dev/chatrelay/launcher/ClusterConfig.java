package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * How this process joins the Hazelcast cluster. Clustered when {@code RELAY_CLUSTER_MEMBERS} or
 * {@code RELAY_CLUSTER_KUBERNETES_SERVICE} is set; otherwise the event bus stays local.
 */
public record ClusterConfig(
    String name,
    List<String> members,
    String kubernetesService,
    String kubernetesNamespace,
    String host,
    int port,
    int eventBusPort,
    long eventBusPingMs,
    long eventBusPingTimeoutMs,
    int heartbeatIntervalSeconds,
    int maxNoHeartbeatSeconds,
    long suspicionCheckMs,
    boolean liteMember,
    int shutdownWaitSeconds,
    long dataMemberWaitMs,
    long dataMemberLossGraceMs,
    int mergeDelaySeconds,
    int mastershipClaimSeconds,
    int migrationTimeoutSeconds,
    EventBusTls eventBusTls) {

  public static final String NAME = Settings.CLUSTER_NAME.name();
  public static final String MEMBERS = Settings.CLUSTER_MEMBERS.name();
  public static final String KUBERNETES_SERVICE = Settings.CLUSTER_KUBERNETES_SERVICE.name();
  public static final String KUBERNETES_NAMESPACE = Settings.CLUSTER_KUBERNETES_NAMESPACE.name();
  public static final String HOST = Settings.CLUSTER_HOST.name();
  public static final String PORT = Settings.CLUSTER_PORT.name();
  public static final String EVENTBUS_PORT = Settings.EVENTBUS_PORT.name();
  public static final String EVENTBUS_PING_MS = Settings.EVENTBUS_PING_MS.name();
  public static final String EVENTBUS_PING_TIMEOUT_MS = Settings.EVENTBUS_PING_TIMEOUT_MS.name();
  public static final String HEARTBEAT_SECONDS = Settings.CLUSTER_HEARTBEAT_SECONDS.name();
  public static final String MAX_NO_HEARTBEAT_SECONDS = Settings.CLUSTER_MAX_NO_HEARTBEAT_SECONDS.name();
  public static final String SUSPICION_CHECK_MS = Settings.CLUSTER_SUSPICION_CHECK_MS.name();
  public static final String LITE_MEMBER = Settings.CLUSTER_LITE_MEMBER.name();
  public static final String SHUTDOWN_WAIT_SECONDS = Settings.CLUSTER_SHUTDOWN_WAIT_SECONDS.name();
  public static final String DATA_MEMBER_WAIT_MS = Settings.CLUSTER_DATA_MEMBER_WAIT_MS.name();
  public static final String DATA_MEMBER_LOSS_GRACE_MS = Settings.CLUSTER_DATA_MEMBER_LOSS_GRACE_MS.name();
  public static final String MERGE_DELAY_SECONDS = Settings.CLUSTER_MERGE_DELAY_SECONDS.name();
  public static final String MASTERSHIP_CLAIM_SECONDS = Settings.CLUSTER_MASTERSHIP_CLAIM_SECONDS.name();
  public static final String MIGRATION_TIMEOUT_SECONDS = Settings.CLUSTER_MIGRATION_TIMEOUT_SECONDS.name();

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final String DEFAULT_NAME = Settings.CLUSTER_NAME.fallback();
  public static final String DEFAULT_HOST = Settings.CLUSTER_HOST.fallback();
  public static final int DEFAULT_PORT = Settings.CLUSTER_PORT.intDefault();
  public static final int DEFAULT_EVENTBUS_PORT = Settings.EVENTBUS_PORT.intDefault();
  public static final int DEFAULT_HEARTBEAT_SECONDS = Settings.CLUSTER_HEARTBEAT_SECONDS.intDefault();
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS =
      Settings.CLUSTER_MAX_NO_HEARTBEAT_SECONDS.intDefault();
  public static final long DEFAULT_SUSPICION_CHECK_MS = Settings.CLUSTER_SUSPICION_CHECK_MS.longDefault();
  public static final boolean DEFAULT_LITE_MEMBER = Settings.CLUSTER_LITE_MEMBER.boolDefault();
  public static final int DEFAULT_SHUTDOWN_WAIT_SECONDS = Settings.CLUSTER_SHUTDOWN_WAIT_SECONDS.intDefault();
  public static final long DEFAULT_DATA_MEMBER_WAIT_MS = Settings.CLUSTER_DATA_MEMBER_WAIT_MS.longDefault();
  public static final long DEFAULT_DATA_MEMBER_LOSS_GRACE_MS =
      Settings.CLUSTER_DATA_MEMBER_LOSS_GRACE_MS.longDefault();
  public static final int DEFAULT_MERGE_DELAY_SECONDS = Settings.CLUSTER_MERGE_DELAY_SECONDS.intDefault();
  public static final int DEFAULT_MASTERSHIP_CLAIM_SECONDS = Settings.CLUSTER_MASTERSHIP_CLAIM_SECONDS.intDefault();
  public static final int DEFAULT_MIGRATION_TIMEOUT_SECONDS = Settings.CLUSTER_MIGRATION_TIMEOUT_SECONDS.intDefault();


  public ClusterConfig {
    members = List.copyOf(members);
  }

  /** True when this process joins a cluster instead of running a local event bus. */
  public boolean enabled() {
    return !members.isEmpty() || kubernetesService != null;
  }

  public static ClusterConfig from(ConfigSource source) {
    List<String> members = parseMembers(source.raw(Settings.CLUSTER_MEMBERS));
    String kubernetesService = source.raw(Settings.CLUSTER_KUBERNETES_SERVICE);
    if (!members.isEmpty() && kubernetesService != null) {
      throw new InvalidConfigException(
          "set either " + MEMBERS + " or " + KUBERNETES_SERVICE + ", not both");
    }
    int heartbeat = source.intValue(Settings.CLUSTER_HEARTBEAT_SECONDS);
    int maxNoHeartbeat = source.intValue(Settings.CLUSTER_MAX_NO_HEARTBEAT_SECONDS);
    if (maxNoHeartbeat <= heartbeat) {
      throw new InvalidConfigException(MAX_NO_HEARTBEAT_SECONDS, String.valueOf(maxNoHeartbeat),
          "more than " + HEARTBEAT_SECONDS + " (" + heartbeat + ")");
    }
    return new ClusterConfig(
        source.string(Settings.CLUSTER_NAME),
        members,
        kubernetesService,
        source.raw(Settings.CLUSTER_KUBERNETES_NAMESPACE),
        source.string(Settings.CLUSTER_HOST),
        source.intValue(Settings.CLUSTER_PORT),
        source.intValue(Settings.EVENTBUS_PORT),
        source.longValue(Settings.EVENTBUS_PING_MS),
        source.longValue(Settings.EVENTBUS_PING_TIMEOUT_MS),
        heartbeat,
        maxNoHeartbeat,
        source.longValue(Settings.CLUSTER_SUSPICION_CHECK_MS),
        source.bool(Settings.CLUSTER_LITE_MEMBER),
        source.intValue(Settings.CLUSTER_SHUTDOWN_WAIT_SECONDS),
        source.longValue(Settings.CLUSTER_DATA_MEMBER_WAIT_MS),
        source.longValue(Settings.CLUSTER_DATA_MEMBER_LOSS_GRACE_MS),
        source.intValue(Settings.CLUSTER_MERGE_DELAY_SECONDS),
        source.intValue(Settings.CLUSTER_MASTERSHIP_CLAIM_SECONDS),
        source.intValue(Settings.CLUSTER_MIGRATION_TIMEOUT_SECONDS),
        EventBusTls.from(source));
  }

  /**
   * Parses {@code host:port,host:port}. Hazelcast port ranges ({@code host:5701-5710}) make a
   * node fail at start, so they are refused here with a message instead.
   */
  static List<String> parseMembers(String value) {
    List<String> members = new ArrayList<>();
    if (value == null) {
      return members;
    }
    for (String part : value.split(",")) {
      String member = part.trim();
      if (member.isEmpty()) {
        continue;
      }
      int colon = member.lastIndexOf(':');
      if (colon <= 0 || colon == member.length() - 1) {
        throw new InvalidConfigException(MEMBERS, value,
            "host:port entries separated by commas; '" + member + "' has no port");
      }
      String port = member.substring(colon + 1);
      if (port.contains("-")) {
        throw new InvalidConfigException(MEMBERS, value,
            "one host:port per member; port ranges like '" + member + "' are not supported");
      }
      int parsed;
      try {
        parsed = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(MEMBERS, value,
            "host:port entries; '" + member + "' has no numeric port");
      }
      if (parsed < 1 || parsed > 65535) {
        throw new InvalidConfigException(MEMBERS, value,
            "ports between 1 and 65535; '" + member + "' is out of range");
      }
      members.add(member);
    }
    return members;
  }
}
