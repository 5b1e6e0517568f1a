package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.AckCommand;
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

  SubscriptionCommands(RelayRuntime rt, SubscriptionRegistry registry, FramePump pump) {
    this.rt = rt;
    this.registry = registry;
    this.pump = pump;
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
    if (sub == null || cmd.seq() > sub.sent || cmd.seq() <= sub.acked) {
      return;
    }
    sub.ack(cmd.seq());
    registry.noteWindow(sub);
    pump.pump(sub);
  }

  void unsubscribe(ThreadState t, UnsubscribeCommand cmd) {
    registry.detach(t, cmd.gateway(), cmd.conn());
    log.debug("event=unsubscribe.ok sub={} thread={} gateway={} conn={}", t.key.sub(), t.key.thread(),
        cmd.gateway(), cmd.conn());
  }
}
