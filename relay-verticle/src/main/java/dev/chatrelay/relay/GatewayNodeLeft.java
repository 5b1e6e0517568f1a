package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.NodeIds;
import java.util.ArrayList;
import java.util.Collection;

/** Drops the subscriptions of a gateway node that left the cluster: nothing reaches it now. */
final class GatewayNodeLeft {

  private GatewayNodeLeft() {}

  /** Drops every subscription of {@code node}'s gateways in {@code shards}; returns how many. */
  static int drop(Collection<Shard> shards, SubscriptionRegistry registry, String node) {
    int dropped = 0;
    for (Shard shard : shards) {
      for (ThreadState t : shard.loaded()) {
        for (Subscription sub : new ArrayList<>(t.subscriptions.values())) {
          if (NodeIds.onNode(sub.gateway, node)) {
            registry.drop(sub);
            dropped++;
          }
        }
      }
    }
    return dropped;
  }
}
