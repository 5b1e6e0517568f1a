package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.Delivery;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a subscription's cursor: sends frames {@code sent+1 .. min(head, acked+window)} in one
 * {@link Delivery}, from the frame cache when it has them, else from one journal read at a time.
 * Replay and live delivery are this same loop, so frames go out in seq order with no gap and no
 * duplicate whatever interleaves. Event-loop confined.
 */
final class FramePump {

  private static final Logger log = LoggerFactory.getLogger(FramePump.class);

  private final RelayRuntime rt;
  private final SubscriptionRegistry registry;
  private final DeliveryWatch watch;

  FramePump(RelayRuntime rt, SubscriptionRegistry registry, DeliveryWatch watch) {
    this.rt = rt;
    this.registry = registry;
    this.watch = watch;
  }

  /** Pumps every subscription of the thread (after an append). */
  void pumpAll(ThreadState t) {
    for (Subscription sub : new ArrayList<>(t.subscriptions.values())) {
      pump(sub);
    }
  }

  void pump(Subscription sub) {
    if (!sub.active || sub.reading) {
      return;
    }
    ThreadState t = sub.thread;
    long from = sub.sent + 1;
    if (from <= t.head && from < t.oldest) {
      registry.reset(sub, "retention");
      return;
    }
    long upTo = Math.min(t.head, sub.acked + rt.config().ackWindow());
    if (upTo < from) {
      registry.noteWindow(sub);
      return;
    }
    if (t.cache.has(from)) {
      deliver(sub, t.cache.range(from, upTo));
      return;
    }
    read(sub, from, upTo);
  }

  private void read(Subscription sub, long from, long upTo) {
    ThreadState t = sub.thread;
    sub.reading = true;
    rt.journal().read(t.key, from - 1, (int) (upTo - from + 1)).onComplete(ar -> {
      sub.reading = false;
      if (!sub.active) {
        return;
      }
      if (ar.failed()) {
        long pause = rt.config().jobRetryBackoffMs();
        log.warn("journal read failed sub={} thread={} after={} retryInMs={} error={}",
            t.key.sub(), t.key.thread(), from - 1, pause, ar.cause().toString());
        rt.vertx().setTimer(pause, id -> pump(sub));
        return;
      }
      List<Frame> frames = ar.result();
      if (frames.isEmpty() || frames.get(0).seq() != from) {
        // The journal trimmed what the cursor still needed.
        registry.reset(sub, "retention");
        return;
      }
      deliver(sub, frames);
      pump(sub);
    });
  }

  private void deliver(Subscription sub, List<Frame> frames) {
    List<String> wire = new ArrayList<>(frames.size());
    long expected = sub.sent + 1;
    for (Frame f : frames) {
      if (f.seq() != expected) {
        break;
      }
      wire.add(f.toWire());
      expected++;
    }
    if (wire.isEmpty()) {
      return;
    }
    long first = sub.sent + 1;
    long last = expected - 1;
    // A send the bus could not make counts as lost on the way, as any bus send can be: it must
    // not stop the thread's other subscriptions from being pumped, nor fail the append.
    if (!BusSends.send(rt.bus(), Addresses.gateway(sub.gateway),
        new Delivery(sub.conn, sub.sid, sub.thread.key.thread(), first, last, wire))) {
      log.warn("delivery not sent sub={} thread={} gateway={} first={} last={}",
          sub.thread.key.sub(), sub.thread.key.thread(), sub.gateway, first, last);
    }
    sub.sent = last;
    watch.sent(sub, last); // lost or not, it is sent again unless acked or confirmed in time
    registry.noteWindow(sub);
  }
}
