package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
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
    int heartbeatIntervalSeconds,
    int maxNoHeartbeatSeconds,
    EventBusTls eventBusTls) {

  public static final String NAME = "RELAY_CLUSTER_NAME";
  public static final String MEMBERS = "RELAY_CLUSTER_MEMBERS";
  public static final String KUBERNETES_SERVICE = "RELAY_CLUSTER_KUBERNETES_SERVICE";
  public static final String KUBERNETES_NAMESPACE = "RELAY_CLUSTER_KUBERNETES_NAMESPACE";
  public static final String HOST = "RELAY_CLUSTER_HOST";
  public static final String PORT = "RELAY_CLUSTER_PORT";
  public static final String EVENTBUS_PORT = "RELAY_EVENTBUS_PORT";
  public static final String HEARTBEAT_SECONDS = "RELAY_CLUSTER_HEARTBEAT_SECONDS";
  public static final String MAX_NO_HEARTBEAT_SECONDS = "RELAY_CLUSTER_MAX_NO_HEARTBEAT_SECONDS";

  /** Hazelcast cluster name: processes with another name never join this cluster. */
  public static final String DEFAULT_NAME = "chat-relay";
  /** Address Hazelcast binds and advertises; in Kubernetes set it to the pod IP. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Hazelcast member port. */
  public static final int DEFAULT_PORT = 5701;
  /** Event-bus TCP port; 0 picks a free one (it is advertised through Hazelcast). */
  public static final int DEFAULT_EVENTBUS_PORT = 0;
  /** Members heartbeat each other this often (Hazelcast default 5 s). */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 1;
  /** A member silent this long is removed: a killed process is noticed within 5 s (default 60). */
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 4;

  public ClusterConfig {
    members = List.copyOf(members);
  }

  /** True when this process joins a cluster instead of running a local event bus. */
  public boolean enabled() {
    return !members.isEmpty() || kubernetesService != null;
  }

  public static ClusterConfig from(ConfigSource source) {
    List<String> members = parseMembers(source.raw(MEMBERS));
    String kubernetesService = source.raw(KUBERNETES_SERVICE);
    if (!members.isEmpty() && kubernetesService != null) {
      throw new InvalidConfigException(
          "set either " + MEMBERS + " or " + KUBERNETES_SERVICE + ", not both");
    }
    int heartbeat = source.intValue(HEARTBEAT_SECONDS, DEFAULT_HEARTBEAT_SECONDS, 1, 60);
    int maxNoHeartbeat =
        source.intValue(MAX_NO_HEARTBEAT_SECONDS, DEFAULT_MAX_NO_HEARTBEAT_SECONDS, 2, 600);
    if (maxNoHeartbeat <= heartbeat) {
      throw new InvalidConfigException(MAX_NO_HEARTBEAT_SECONDS, String.valueOf(maxNoHeartbeat),
          "more than " + HEARTBEAT_SECONDS + " (" + heartbeat + ")");
    }
    return new ClusterConfig(
        source.string(NAME, DEFAULT_NAME),
        members,
        kubernetesService,
        source.raw(KUBERNETES_NAMESPACE),
        source.string(HOST, DEFAULT_HOST),
        source.intValue(PORT, DEFAULT_PORT, 1, 65535),
        source.intValue(EVENTBUS_PORT, DEFAULT_EVENTBUS_PORT, 0, 65535),
        heartbeat,
        maxNoHeartbeat,
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
