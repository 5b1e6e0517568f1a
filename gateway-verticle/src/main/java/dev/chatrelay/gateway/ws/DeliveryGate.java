package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import dev.chatrelay.protocol.logic.StreamCursor;
import dev.chatrelay.protocol.wire.ServerMessages;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of a connection's subscriptions: lets each thread's frames through its
 * cursor only in seq order with no gap and no duplicate ({@code compacted} notices count for the
 * seqs they name), holds what comes before a subscription is released, re-subscribes on a gap,
 * answers a resend with a receipt, and passes the client's acks on. Event-loop bound.
 */
final class DeliveryGate {

  private static final Logger log = LoggerFactory.getLogger(DeliveryGate.class);

  private final SubscriptionTable table;
  private final Resubscriber resubscriber;

  DeliveryGate(SubscriptionTable table, Resubscriber resubscriber) {
    this.table = table;
    this.resubscriber = resubscriber;
  }

  /** Passes on a cumulative ack that moves the acked seq; ignores any other. */
  void ack(String thread, long seq) {
    ThreadSubscription s = table.get(thread);
    if (s == null || !s.live() || !s.cursor().ack(seq)) {
      return;
    }
    table.services.relay().ack(new AckCommand(table.key(thread), table.services.gatewayId(),
        table.conn(), seq));
    table.services.metrics().ack();
  }

  void onDelivery(Delivery delivery) {
    ThreadSubscription s = table.get(delivery.thread());
    if (s == null) {
      if (!table.closed()) {
        // Not subscribed here: the unsubscribe was lost on the bus, so say it again (a later
        // subscribe of the thread reaches the shard after it, on the same path).
        table.unsubscribeAtRelay(delivery.thread());
      }
      return;
    }
    if (s.sid != delivery.sid()) {
      return; // a replaced subscription: its frames are stale
    }
    if (!s.live()) {
      s.holdEarly(delivery);
      return;
    }
    forward(s, delivery);
  }

  /** A live subscription the relay can no longer serve (e.g. out of retention). */
  void onReset(SubscriptionReset reset) {
    ThreadSubscription s = table.get(reset.thread());
    if (s == null || s.sid != reset.sid()) {
      return;
    }
    if (!s.live()) {
      s.holdEarly(reset);
      return;
    }
    table.resetThread(s, reset.epoch(), reset.head(), reset.reason());
  }

  /** Lets frames through from now on, first what came before the answers were written. */
  void release(ThreadSubscription s) {
    s.release();
    for (Delivery early : s.takeEarly()) {
      if (!table.isCurrent(s)) {
        return; // dropped or reset while flushing
      }
      if (s.sid == early.sid()) {
        forward(s, early); // older sids: from before a re-subscribe, stale
      }
    }
    SubscriptionReset reset = s.takeEarlyReset();
    if (reset != null && table.isCurrent(s) && reset.sid() == s.sid) {
      table.resetThread(s, reset.epoch(), reset.head(), reset.reason());
    }
  }

  private void forward(ThreadSubscription s, Delivery delivery) {
    ClientChannel client = table.client;
    List<String> frames = delivery.frames();
    List<Long> runs = delivery.runs();
    int nextRun = 0;
    long seq = delivery.firstSeq();
    int written = 0;
    boolean duplicates = false;
    for (int i = 0; i < frames.size(); i++) {
      // Each item is one frame, or a compacted notice standing for seqs seq..to.
      boolean run = nextRun < runs.size() && runs.get(nextRun) == i;
      long to = run ? runs.get(nextRun + 1) : seq;
      if (run) {
        nextRun += 2;
      }
      long before = s.cursor().lastDelivered();
      StreamCursor.Verdict verdict = run ? s.cursor().offerRun(seq, to) : s.cursor().offer(seq);
      switch (verdict) {
        case FORWARD -> {
          // A run that starts at or before the client's cursor is told from the next seq on.
          client.write(run && seq <= before
              ? ServerMessages.compacted(s.thread, s.epoch, before + 1, to) : frames.get(i));
          written++;
        }
        case DUPLICATE -> duplicates = true;
        case GAP -> {
          table.services.metrics().framesOut(written);
          table.services.metrics().gap();
          log.warn("event=delivery.gap session={} thread={} expected={} got={}", client.sessionId(),
              s.thread, s.cursor().lastDelivered() + 1, seq);
          resubscriber.resubscribe(s, s.cursor().lastDelivered(), "gap");
          return;
        }
      }
      seq = to + 1;
    }
    table.services.metrics().framesOut(written);
    if (duplicates) {
      // A resend (or a new owner replaying): say what arrived, so the relay stops resending,
      // and repeat the client's ack in case the last one was lost on the way.
      table.services.relay().received(new DeliveryReceipt(table.key(s.thread),
          table.services.gatewayId(), table.conn(), s.sid, s.cursor().lastDelivered(),
          s.cursor().lastAcked()));
    }
  }
}
