package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.relay.journal.Appended;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.PendingJob;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals frames of a thread and takes each new one into the thread's state, which pumps every
 * subscription. Event-loop confined.
 */
final class ThreadAppender {

  private static final Logger log = LoggerFactory.getLogger(ThreadAppender.class);

  private final RelayRuntime rt;
  private final SubscriptionRegistry registry;
  private final FramePump pump;

  ThreadAppender(RelayRuntime rt, SubscriptionRegistry registry, FramePump pump) {
    this.rt = rt;
    this.registry = registry;
    this.pump = pump;
  }

  /** Appends in the thread's write order. */
  Future<Appended> append(ThreadState t, FrameDraft draft) {
    return t.writes.submit(() -> appendNow(t, draft));
  }

  /** Appends a send's user message with its pending reply job, in the thread's write order. */
  Future<Appended> appendSend(ThreadState t, FrameDraft message, PendingJob job) {
    return t.writes.submit(() -> journaled(t, message,
        () -> rt.journal().appendSend(t.key, message, job, epochIfNew(t))));
  }

  /**
   * Runs {@code appends} (several appends of the thread, one after another) and pumps the
   * subscribers once when they are done rather than after each frame, so a batch reaches every
   * subscriber as one delivery. Only call from a task of {@code t.writes}.
   */
  <T> Future<T> holdingPumps(ThreadState t, Supplier<Future<T>> appends) {
    t.pumpHolds++;
    Future<T> done;
    try {
      done = appends.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.andThen(ar -> {
      t.pumpHolds--;
      if (t.pumpHolds == 0 && t.pumpDue) {
        t.pumpDue = false;
        if (t.active) {
          pump.pumpAll(t);
        }
      }
    });
  }

  /** Appends at once; only call from a task of {@code t.writes}. */
  Future<Appended> appendNow(ThreadState t, FrameDraft draft) {
    return journaled(t, draft, () -> rt.journal().append(t.key, draft, epochIfNew(t)));
  }

  /**
   * Appends {@code drafts} with one journal call ({@link
   * dev.chatrelay.relay.journal.Journal#appendAll}: it stops after the first frame already
   * journaled) and takes the answered frames in order; only call from a task of {@code t.writes}.
   * With {@code endingJob} (not null) the last draft ends that reply job, and the call is {@link
   * dev.chatrelay.relay.journal.Journal#appendEnding}, which forgets its pending record with it.
   */
  Future<List<Appended>> appendAllNow(ThreadState t, List<FrameDraft> drafts, String endingJob) {
    long started = System.nanoTime();
    Future<List<Appended>> written = endingJob == null
        ? rt.journal().appendAll(t.key, drafts, epochIfNew(t))
        : rt.journal().appendEnding(t.key, drafts, epochIfNew(t), endingJob);
    return written.map(all -> {
      rt.metrics().journalAppended(System.nanoTime() - started);
      for (int i = 0; i < all.size(); i++) {
        Appended appended = all.get(i);
        if (appended.created()) {
          log.debug("event=frame.journaled sub={} thread={} seq={} id={} kind={}", t.key.sub(),
              t.key.thread(), appended.frame().seq(), appended.frame().id(),
              drafts.get(i).kind().wire());
        }
        accept(t, appended.frame(), appended.oldest());
      }
      return all;
    });
  }

  /**
   * The epoch a thread without one takes at this write: while this relay has seen no frame of it,
   * the one its readers were shown (their cursors stay valid); after that none (a fresh one), so
   * a thread the journal lost comes back under a new epoch and every cursor is reset.
   */
  private static String epochIfNew(ThreadState t) {
    return t.head == 0 ? t.epoch : null;
  }

  private Future<Appended> journaled(ThreadState t, FrameDraft draft,
      Supplier<Future<Appended>> append) {
    long started = System.nanoTime();
    return append.get().map(appended -> {
      rt.metrics().journalAppended(System.nanoTime() - started);
      if (appended.created()) {
        log.debug("event=frame.journaled sub={} thread={} seq={} id={} kind={}", t.key.sub(),
            t.key.thread(), appended.frame().seq(), appended.frame().id(), draft.kind().wire());
      }
      accept(t, appended.frame(), appended.oldest());
      return appended;
    });
  }

  private void accept(ThreadState t, Frame frame, long journalOldest) {
    t.lastUsed = rt.now();
    if (!t.active) {
      return;
    }
    if (!frame.epoch().equals(t.epoch)) {
      epochChanged(t, frame, journalOldest);
      return;
    }
    if (frame.seq() <= t.head) {
      t.oldest = Math.max(t.oldest, journalOldest);
      return;
    }
    t.advance(frame, journalOldest);
    if (t.pumpHolds > 0) {
      t.pumpDue = true;
    } else {
      pump.pumpAll(t);
    }
  }

  /** The journal lost the thread and started a new epoch: every cursor is void. */
  private void epochChanged(ThreadState t, Frame frame, long journalOldest) {
    log.warn("event=thread.epoch_changed sub={} thread={} oldEpoch={} newEpoch={} seq={}", t.key.sub(),
        t.key.thread(), t.epoch, frame.epoch(), frame.seq());
    t.epoch = frame.epoch();
    t.cache.clear();
    t.oldest = 1;
    t.advance(frame, journalOldest);
    for (Subscription sub : new ArrayList<>(t.subscriptions.values())) {
      registry.reset(sub, "epoch");
    }
  }
}
