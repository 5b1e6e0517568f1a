package dev.chatrelay.relay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a lost {@code Delivery} or ack harmless. Frames handed to the bus that the gateway
 * neither acked (the client's ack) nor confirmed ({@code DeliveryReceipt}) within
 * {@code RELAY_DELIVERY_RESEND_MS} are sent again from the settled cursor; the gateway drops the
 * ones it had and answers a receipt, so a resend happens once per batch even for a slow client.
 * A full window whose frames all arrived but whose acks stop is probed the same way with its
 * last frame: the receipt repeats the client's ack, in case that was what got lost. Without any
 * progress the pause doubles up to {@code RELAY_DELIVERY_RESEND_MAX_MS}, and after
 * {@code RELAY_SLOW_CONSUMER_MS} the subscription is closed as a slow consumer (its gateway
 * lost the connection, or cannot be reached). Watches only subscriptions with frames out.
 * Event-loop confined.
 */
final class DeliveryWatch {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWatch.class);
  /** The check runs this many times per resend pause, so a resend is at most that much late. */
  private static final int CHECKS_PER_PAUSE = 4;

  private final RelayRuntime rt;
  private final Set<Subscription> out = new LinkedHashSet<>();

  DeliveryWatch(RelayRuntime rt) {
    this.rt = rt;
  }

  /** How often {@link #check} should run. */
  static long checkPeriodMs(RelayConfig config) {
    return Math.max(1, config.deliveryResendMs() / CHECKS_PER_PAUSE);
  }

  /** Frames up to {@code last} were handed to the bus. */
  void sent(Subscription sub, long last) {
    if (last > sub.maxSent) {
      sub.maxSent = last;
    }
    if (sub.resendAt < 0 && waiting(sub)) {
      long now = rt.now();
      sub.progressAt = now;
      sub.resends = 0;
      sub.resendAt = now + rt.config().deliveryResendMs();
      out.add(sub);
    }
  }

  /** The gateway acked or confirmed more of {@code sub}: start the resend clock again. */
  void progressed(Subscription sub) {
    if (sub.sent < sub.settled()) {
      sub.sent = sub.settled(); // what arrived needs no resend still pending in the cursor
    }
    long now = rt.now();
    sub.progressAt = now;
    sub.resends = 0;
    if (waiting(sub)) {
      sub.resendAt = now + rt.config().deliveryResendMs();
      out.add(sub);
    } else {
      sub.resendAt = -1;
      out.remove(sub);
    }
  }

  /** Frames may be lost (not settled), or the window is full and only acks can open it. */
  private boolean waiting(Subscription sub) {
    return sub.maxSent > sub.settled() || sub.outstanding() >= rt.config().ackWindow();
  }

  /** Resends what is due; closes subscriptions with no progress for the slow-consumer limit. */
  void check(FramePump pump, SubscriptionRegistry registry) {
    if (out.isEmpty()) {
      return;
    }
    long now = rt.now();
    List<Subscription> due = new ArrayList<>();
    for (var it = out.iterator(); it.hasNext(); ) {
      Subscription sub = it.next();
      if (!sub.active || !waiting(sub)) {
        sub.resendAt = -1;
        it.remove();
      } else if (now >= sub.resendAt) {
        due.add(sub);
      }
    }
    for (Subscription sub : due) {
      if (!sub.active) {
        continue; // dropped by an earlier one's pump
      }
      if (now - sub.progressAt >= rt.config().slowConsumerMs() && sub.fullSince < 0) {
        // (a full window is closed by the window rule, SubscriptionRegistry#closeSlowConsumers)
        out.remove(sub);
        sub.resendAt = -1;
        registry.closeSlowConsumer(sub, "unconfirmed");
        continue;
      }
      resend(sub, now, pump);
    }
  }

  private void resend(Subscription sub, long now, FramePump pump) {
    ThreadState t = sub.thread;
    // Unsettled frames from the first of them; else the last message (a frame, or a compacted
    // run as a whole, as it went first), as a probe for the ack.
    long from = sub.settled() < sub.maxSent ? sub.settled() : sub.lastItemFrom() - 1;
    log.info("event=delivery.resend sub={} thread={} gateway={} conn={} sid={} after={} upTo={} "
            + "resends={}", t.key.sub(), t.key.thread(), sub.gateway, sub.conn, sub.sid, from,
        sub.maxSent, sub.resends + 1);
    rt.metrics().deliveryResent();
    sub.resends++;
    long pause = rt.config().deliveryResendMs() << Math.min(sub.resends, 20);
    sub.resendAt = now + Math.min(pause, rt.config().deliveryResendMaxMs());
    sub.sent = from;
    pump.pump(sub);
  }

  /** Subscriptions with frames out, for tests and metrics. */
  int watched() {
    return out.size();
  }
}
