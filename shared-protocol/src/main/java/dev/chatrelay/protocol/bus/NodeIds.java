package dev.chatrelay.protocol.bus;

/**
 * Ids of role instances that live and die with one cluster node ({@code gateway.<id>} and
 * {@code worker.<id>} addresses): {@code <node>-<n>}, the cluster node id of the process and a
 * counter. Relays read the node back when a process leaves the cluster: they drop the
 * subscriptions of its gateways and dispatch the jobs of its workers again at once.
 */
public final class NodeIds {

  private NodeIds() {}

  /** The id of instance {@code n} on cluster node {@code node}. */
  public static String of(String node, int n) {
    return node + "-" + n;
  }

  /** True when {@code id} is an instance on cluster node {@code node}. */
  public static boolean onNode(String id, String node) {
    return id.length() > node.length() + 1 && id.startsWith(node)
        && id.charAt(node.length()) == '-'
        && id.lastIndexOf('-') == node.length();
  }
}
