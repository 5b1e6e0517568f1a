package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.SubscriptionMoved;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * What letting a shard go does beyond this relay, so its traffic finds the next owner: the
 * subscribed gateways are told to subscribe there, and the shard's consumer stays registered for
 * a grace period to answer NOT_OWNER.
 */
final class ShardHandover {

  private ShardHandover() {}

  /** Tells each gateway subscribed to {@code t} to subscribe again at the next owner; how many. */
  static int tellMoved(RelayRuntime rt, ThreadState t) {
    int moved = 0;
    for (Subscription sub : t.subscriptions.values()) {
      if (sub.active) {
        GatewayNotices.tell(rt, sub.gateway,
            new SubscriptionMoved(sub.conn, sub.sid, t.key.thread()));
        moved++;
      }
    }
    return moved;
  }

  /**
   * Until senders have learnt that this consumer is gone, what they send here would be dropped
   * by Vert.x without an answer; the released shard answers NOT_OWNER for a grace period
   * instead, so requests retry at once and reach the new owner.
   */
  static Future<Void> unregisterAfterGrace(RelayRuntime rt, Shard shard) {
    if (shard.consumer == null) {
      return Future.succeededFuture();
    }
    long grace = rt.config().shardReleaseGraceMs();
    if (grace <= 0) {
      return shard.consumer.unregister();
    }
    Promise<Void> unregistered = Promise.promise();
    rt.vertx().setTimer(grace, id -> shard.consumer.unregister().onComplete(unregistered));
    return unregistered.future();
  }
}
