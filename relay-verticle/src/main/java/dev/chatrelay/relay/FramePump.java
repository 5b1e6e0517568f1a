package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.relay.journal.Retained;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a subscription's cursor: sends from {@code sent+1} as many items as the window has room
 * for in one {@link Delivery}, from the frame cache when it has them (the newest frames, never
 * compacted), else from one journal read at a time; a run of seqs compacted away goes as one
 * {@code compacted} notice ({@link PumpBatch}). Replay, live delivery and resends
 * ({@link DeliveryWatch} rewinds {@code sent}) are this same loop, so frames and runs go out in
 * seq order with no gap and no duplicate whatever interleaves. Event-loop confined.
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
    // Counted from sent, not maxSent: a resend rewound sent to send again what may be lost.
    long room = rt.config().ackWindow() - Math.max(0, sub.itemsUpTo(sub.sent));
    if (from > t.head || room <= 0) {
      registry.noteWindow(sub);
      return;
    }
    long upTo = Math.min(t.head, from + room - 1);
    if (t.cache.has(from) && from > t.head - rt.config().retentionFrames()) {
      deliver(sub, PumpBatch.contiguous(from, t.cache.range(from, upTo)));
      return;
    }
    read(sub, from, (int) Math.min(room, upTo - from + 1));
  }

  private void read(Subscription sub, long from, int room) {
    ThreadState t = sub.thread;
    sub.reading = true;
    rt.journal().readRetained(t.key, from - 1, room).onComplete(ar -> {
      sub.reading = false;
      if (!sub.active) {
        return;
      }
      if (ar.failed()) {
        long pause = rt.config().jobRetryBackoffMs();
        log.warn("event=journal.read_failed sub={} thread={} after={} retryInMs={} error={}",
            t.key.sub(), t.key.thread(), from - 1, pause, ar.cause().toString());
        rt.vertx().setTimer(pause, id -> pump(sub));
        return;
      }
      Retained retained = ar.result();
      t.oldest = Math.max(t.oldest, retained.oldest());
      List<Frame> frames = retained.frames();
      if (from < retained.oldest() || frames.isEmpty()) {
        // A conversation frame the cursor still needed left retention (or the journal was lost).
        registry.reset(sub, "retention");
        return;
      }
      deliver(sub, PumpBatch.of(t.key.thread(), t.epoch, from, frames, room));
      pump(sub);
    });
  }

  private void deliver(Subscription sub, PumpBatch batch) {
    if (batch.isEmpty() || batch.first != sub.sent + 1) {
      return;
    }
    long first = batch.first;
    long last = batch.last;
    // Sent at the end of this turn with the gateway's other deliveries; one the bus cannot send
    // counts as lost on the way, as any bus send can be (DeliveryWatch sends it again).
    rt.outbox().deliver(sub.gateway, new Delivery(sub.conn, sub.sid, sub.thread.key.thread(),
        first, last, batch.wire, batch.runs));
    sub.sent = last;
    batch.runRanges.forEach(run -> sub.sentRun(run[0], run[1])); // before the window is counted
    watch.sent(sub, last); // lost or not, it is sent again unless acked or confirmed in time
    registry.noteWindow(sub);
  }
}
