package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** subscribe, ack and unsubscribe of a connection on a thread. Event-loop confined. */
final class SubscriptionCommands {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionCommands.class);

  private final RelayRuntime rt;
  private final SubscriptionRegistry registry;
  private final FramePump pump;
  private final DeliveryWatch deliveries;

  SubscriptionCommands(RelayRuntime rt, SubscriptionRegistry registry, FramePump pump,
      DeliveryWatch deliveries) {
    this.rt = rt;
    this.registry = registry;
    this.pump = pump;
    this.deliveries = deliveries;
  }

  /** Answers subscribed (then frames follow) or reset with its reason. */
  void subscribe(Message<?> msg, ThreadState t, SubscribeCommand cmd) {
    Subscription current = t.subscriptions.get(Subscription.key(cmd.gateway(), cmd.conn()));
    if (current != null && current.sid > cmd.sid()) {
      // A retried request that arrives after a newer subscribe of the same connection (sids
      // grow per connection): the gateway no longer waits for it, so it must not replace it.
      log.info("event=subscribe.superseded sub={} thread={} gateway={} conn={} sid={} currentSid={}",
          t.key.sub(), t.key.thread(), cmd.gateway(), cmd.conn(), cmd.sid(), current.sid);
      msg.reply(new SubscribeAnswer(true, t.epoch, t.head, null));
      return;
    }
    long after = startCursor(t, cmd.after());
    String reason = null;
    if (cmd.epoch() != null && !cmd.epoch().equals(t.epoch)) {
      reason = "epoch";
    } else if (after > t.head) {
      reason = "ahead";
    } else if (after + 1 < t.oldest) {
      reason = "retention";
    }
    if (reason != null) {
      registry.detach(t, cmd.gateway(), cmd.conn());
      rt.metrics().reset(reason);
      log.info("event=subscribe.reset sub={} thread={} gateway={} conn={} sid={} after={} head={} reason={}",
          t.key.sub(), t.key.thread(), cmd.gateway(), cmd.conn(), cmd.sid(), after, t.head, reason);
      msg.reply(new SubscribeAnswer(false, t.epoch, t.head, reason));
      return;
    }
    Subscription sub = new Subscription(t, cmd.gateway(), cmd.conn(), cmd.sid(), after);
    registry.attach(sub);
    log.debug("event=subscribe.ok sub={} thread={} gateway={} conn={} sid={} after={} head={}",
        t.key.sub(), t.key.thread(), cmd.gateway(), cmd.conn(), cmd.sid(), after, t.head);
    // The answer goes first: the gateway must know the sid before its first delivery.
    msg.reply(new SubscribeAnswer(true, t.epoch, t.head, null, after));
    pump.pump(sub);
  }

  /** Live only starts at head; {@code after: 0} means all retained, so it starts before the oldest kept. */
  static long startCursor(ThreadState t, Long after) {
    if (after == null) {
      return t.head;
    }
    return after == 0 ? Math.max(0, t.oldest - 1) : after;
  }

  /** Cumulative ack; ignored above what was sent or for a connection not subscribed. */
  void ack(ThreadState t, AckCommand cmd) {
    Subscription sub = t.subscriptions.get(Subscription.key(cmd.gateway(), cmd.conn()));
    if (sub != null && takeAck(sub, cmd.seq())) {
      deliveries.progressed(sub);
      registry.noteWindow(sub);
      pump.pump(sub);
    }
  }

  /**
   * The gateway's receipt after a resend: it holds frames up to {@code received} of this
   * subscription (no resend of those), and the client acked up to {@code acked} (an ack that
   * may have been lost). Ignored for another sid: cursors of an older subscription say nothing.
   */
  void received(ThreadState t, DeliveryReceipt cmd) {
    Subscription sub = t.subscriptions.get(Subscription.key(cmd.gateway(), cmd.conn()));
    if (sub == null || sub.sid != cmd.sid()) {
      return;
    }
    boolean moved = takeAck(sub, cmd.acked());
    if (cmd.received() > sub.confirmed && cmd.received() <= sub.maxSent) {
      sub.confirmed = cmd.received();
      moved = true;
    }
    if (moved) {
      deliveries.progressed(sub);
      registry.noteWindow(sub);
      pump.pump(sub);
    }
  }

  /**
   * Takes a cumulative ack of what was handed to the bus (a resend may have lowered sent); it
   * may name a frame's seq or a compacted run's {@code to}.
   */
  private static boolean takeAck(Subscription sub, long seq) {
    if (seq > sub.maxSent || seq <= sub.acked) {
      return false;
    }
    sub.ack(seq);
    return true;
  }

  void unsubscribe(ThreadState t, UnsubscribeCommand cmd) {
    registry.detach(t, cmd.gateway(), cmd.conn());
    log.debug("event=unsubscribe.ok sub={} thread={} gateway={} conn={}", t.key.sub(), t.key.thread(),
        cmd.gateway(), cmd.conn());
  }
}
