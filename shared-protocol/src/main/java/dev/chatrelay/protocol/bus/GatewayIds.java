package dev.chatrelay.protocol.bus;

/**
 * Gateway instance ids ({@code gateway.<id>} addresses): {@code <node>-<n>}, the cluster node id
 * of the gateway's process and a counter. Relays read the node back to drop the subscriptions of
 * gateways whose process left the cluster.
 */
public final class GatewayIds {

  private GatewayIds() {}

  /** The id of instance {@code n} of the gateway on cluster node {@code node}. */
  public static String of(String node, int n) {
    return node + "-" + n;
  }

  /** True when {@code gatewayId} is an instance on cluster node {@code node}. */
  public static boolean onNode(String gatewayId, String node) {
    return gatewayId.length() > node.length() + 1 && gatewayId.startsWith(node)
        && gatewayId.charAt(node.length()) == '-'
        && gatewayId.lastIndexOf('-') == node.length();
  }
}
