package dev.chatrelay.relay;

import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds, replaces and ends subscriptions, and watches the ones whose window is full so that a slow
 * consumer is closed. Event-loop confined.
 */
final class SubscriptionRegistry {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistry.class);

  private final RelayRuntime rt;
  /** Subscriptions with a full window, oldest first. */
  private final Set<Subscription> full = new LinkedHashSet<>();

  SubscriptionRegistry(RelayRuntime rt) {
    this.rt = rt;
  }

  /** Makes {@code sub} the subscription of its connection, replacing any earlier one. */
  void attach(Subscription sub) {
    Subscription old = sub.thread.subscriptions.put(sub.key(), sub);
    if (old != null) {
      deactivate(old);
    }
  }

  /** Ends the subscription of connection {@code conn} of {@code gateway}, if any. */
  void detach(ThreadState t, String gateway, long conn) {
    Subscription sub = t.subscriptions.get(Subscription.key(gateway, conn));
    if (sub != null) {
      drop(sub);
    }
  }

  void drop(Subscription sub) {
    sub.thread.subscriptions.remove(sub.key(), sub);
    deactivate(sub);
  }

  /** Tells the gateway the subscription cannot go on ({@code reason} as in PROTOCOL.md) and drops it. */
  void reset(Subscription sub, String reason) {
    ThreadState t = sub.thread;
    log.info("event=subscription.reset sub={} thread={} gateway={} conn={} sid={} reason={} sent={} head={}",
        t.key.sub(), t.key.thread(), sub.gateway, sub.conn, sub.sid, reason, sub.sent, t.head);
    GatewayNotices.tell(rt, sub.gateway,
        new SubscriptionReset(sub.conn, sub.sid, t.key.thread(), t.epoch, t.head, reason));
    rt.metrics().reset(reason);
    drop(sub);
  }

  /** Records whether the window of {@code sub} is full now. */
  void noteWindow(Subscription sub) {
    if (sub.active && sub.outstanding() >= rt.config().ackWindow()) {
      if (sub.fullSince < 0) {
        sub.fullSince = rt.now();
        full.add(sub);
      }
    } else if (sub.fullSince >= 0) {
      sub.fullSince = -1;
      full.remove(sub);
    }
  }

  /** Closes (4008) every connection whose subscription stayed full for the slow-consumer limit. */
  void closeSlowConsumers() {
    long deadline = rt.now() - rt.config().slowConsumerMs();
    List<Subscription> slow = new ArrayList<>();
    for (Subscription sub : full) {
      if (sub.fullSince <= deadline) {
        slow.add(sub);
      }
    }
    for (Subscription sub : slow) {
      closeSlowConsumer(sub, "window_full");
    }
  }

  /**
   * Closes (4008) the connection of {@code sub} and drops it: its frames are not taken, the
   * window stayed full ({@code window_full}) or nothing was acked or confirmed despite resends
   * ({@code unconfirmed}).
   */
  void closeSlowConsumer(Subscription sub, String why) {
    ThreadState t = sub.thread;
    log.warn("event=subscription.slow_consumer sub={} thread={} gateway={} conn={} sent={} acked={} "
            + "confirmed={} reason={}", t.key.sub(), t.key.thread(), sub.gateway, sub.conn,
        sub.maxSent, sub.acked, sub.confirmed, why);
    GatewayNotices.tell(rt, sub.gateway, new CloseConnection(sub.conn,
        CloseCode.SLOW_CONSUMER.code(), CloseCode.SLOW_CONSUMER.reason()));
    rt.metrics().slowConsumerClosed();
    drop(sub);
  }

  /** Forgets every subscription of a thread leaving memory (no message to the gateway). */
  void forget(ThreadState t) {
    for (Subscription sub : new ArrayList<>(t.subscriptions.values())) {
      drop(sub);
    }
  }

  private void deactivate(Subscription sub) {
    sub.active = false;
    if (sub.fullSince >= 0) {
      sub.fullSince = -1;
      full.remove(sub);
    }
  }
}
