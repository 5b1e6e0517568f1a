package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import dev.chatrelay.protocol.logic.StreamCursor;
import dev.chatrelay.protocol.wire.ServerMessages;
import dev.chatrelay.protocol.wire.ClientMessage.InvalidResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeItem;
import io.vertx.core.AsyncResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one authenticated connection: asks the relays, writes the answers in
 * command order, and lets through each thread's frames only in seq order with no gap and no
 * duplicate ({@code compacted} notices count for the seqs they name). Each subscribe gets a new {@code sid}; deliveries of a replaced subscription are
 * dropped. A gap re-subscribes from the last delivered seq; a shard that moved to another relay
 * re-subscribes from the last acked seq (so the new owner's window counts exactly what the client
 * still has to ack; frames it sends twice are dropped here). Event-loop bound.
 */
final class Subscriptions {

  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

  private final SessionServices services;
  private final ClientChannel client;
  private final long conn;
  private final String sub;
  private final Map<String, ThreadSubscription> threads = new HashMap<>();
  private final AnswerQueue answers = new AnswerQueue();
  private long nextSid = 1;
  private boolean closed;

  Subscriptions(SessionServices services, ClientChannel client, long conn, String sub) {
    this.services = services;
    this.client = client;
    this.conn = conn;
    this.sub = sub;
  }

  /** A client {@code subscribe}: replaces any cursor of the thread. */
  void subscribe(String thread, String epoch, Long after) {
    List<ThreadSubscription> batch = new ArrayList<>(1);
    ask(thread, epoch, after, batch);
    releaseAfterAnswers(batch);
  }

  /**
   * The {@code hello.resume} entries: all asked at once, answered in entry order (a malformed
   * entry answers its error in its place), and no frame of any of them before the last answer.
   */
  void resume(List<ResumeItem> items) {
    List<ThreadSubscription> batch = new ArrayList<>(items.size());
    for (ResumeItem item : items) {
      services.metrics().resume();
      if (item instanceof ResumeEntry e) {
        ask(e.thread(), e.epoch(), e.after(), batch);
      } else if (item instanceof InvalidResumeEntry bad) {
        answers.enqueue(() -> client.write(ServerMessages.error(ErrorCode.BAD_REQUEST, bad.message(), bad.ref())));
      }
    }
    releaseAfterAnswers(batch);
  }

  private void ask(String thread, String epoch, Long after, List<ThreadSubscription> batch) {
    if (closed) {
      return;
    }
    int max = services.config().limits().maxSubscriptions();
    if (!threads.containsKey(thread) && threads.size() >= max) {
      // PROTOCOL.md Limits: answered in its place among the other answers; nothing is asked.
      services.metrics().limited("subscriptions");
      answers.enqueue(() -> client.write(ServerMessages.error(ErrorCode.LIMIT_EXCEEDED,
          "more than " + max + " subscriptions on this connection", thread)));
      return;
    }
    ThreadSubscription s = new ThreadSubscription(thread, nextSid++, epoch, after);
    threads.put(thread, s);
    batch.add(s);
    AnswerQueue.Slot slot = answers.reserve();
    services.relay().subscribe(command(s, after))
        .onComplete(ar -> answers.fill(slot, () -> answer(s, ar)));
  }

  /** Queued behind the batch's answers, so it runs once they are all written. */
  private void releaseAfterAnswers(List<ThreadSubscription> batch) {
    answers.enqueue(() -> batch.forEach(this::release));
  }

  private void release(ThreadSubscription s) {
    if (closed || threads.get(s.thread) != s || !s.answered()) {
      return; // replaced, dropped or reset meanwhile
    }
    s.release();
    for (Delivery early : s.takeEarly()) {
      if (threads.get(s.thread) != s) {
        return; // dropped or reset while flushing
      }
      if (s.sid == early.sid()) {
        forward(s, early); // older sids: from before a re-subscribe, stale
      }
    }
    SubscriptionReset reset = s.takeEarlyReset();
    if (reset != null && threads.get(s.thread) == s && reset.sid() == s.sid) {
      resetThread(s, reset.epoch(), reset.head(), reset.reason());
    }
  }

  /** Answered at once (after the answers already in line), subscribed or not. */
  void unsubscribe(String thread) {
    ThreadSubscription s = threads.remove(thread);
    if (s != null) {
      services.relay().unsubscribe(new UnsubscribeCommand(key(thread), services.gatewayId(), conn));
    }
    answers.enqueue(() -> client.write(ServerMessages.unsubscribed(thread)));
  }

  /** Passes on a cumulative ack that moves the acked seq; ignores any other. */
  void ack(String thread, long seq) {
    ThreadSubscription s = threads.get(thread);
    if (s == null || !s.live() || !s.cursor().ack(seq)) {
      return;
    }
    services.relay().ack(new AckCommand(key(thread), services.gatewayId(), conn, seq));
    services.metrics().ack();
  }

  void onDelivery(Delivery delivery) {
    ThreadSubscription s = threads.get(delivery.thread());
    if (s == null) {
      if (!closed) {
        // Not subscribed here: the unsubscribe was lost on the bus, so say it again (a later
        // subscribe of the thread reaches the shard after it, on the same path).
        services.relay().unsubscribe(new UnsubscribeCommand(key(delivery.thread()),
            services.gatewayId(), conn));
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
    ThreadSubscription s = threads.get(reset.thread());
    if (s == null || s.sid != reset.sid()) {
      return;
    }
    if (!s.live()) {
      s.holdEarly(reset);
      return;
    }
    resetThread(s, reset.epoch(), reset.head(), reset.reason());
  }

  /** The relay let this subscription go because the thread's shard moved: subscribe again. */
  void onMoved(SubscriptionMoved moved) {
    ThreadSubscription s = threads.get(moved.thread());
    if (s != null && s.sid == moved.sid()) {
      shardMoved(s);
    }
  }

  /** The owner of {@code shards} changed: re-subscribes each thread of them; returns how many. */
  int shardsMoved(Set<Integer> shards) {
    int moved = 0;
    for (ThreadSubscription s : new ArrayList<>(threads.values())) {
      if (shards.contains(services.relay().shardOf(key(s.thread)))) {
        shardMoved(s);
        moved++;
      }
    }
    return moved;
  }

  /** True when one of this session's threads lives on a shard in {@code shards}. */
  boolean holdsShardIn(Set<Integer> shards) {
    for (String thread : threads.keySet()) {
      if (shards.contains(services.relay().shardOf(key(thread)))) {
        return true;
      }
    }
    return false;
  }

  private void shardMoved(ThreadSubscription s) {
    if (closed) {
      return;
    }
    if (!s.answered()) {
      // The request is retried until some relay answers; if the old owner did, go again.
      s.movedBeforeAnswer = true;
      return;
    }
    services.metrics().moved();
    resubscribe(s, s.cursor().lastAcked(), "moved");
  }

  /** The connection closed: the relays forget every subscription of it. */
  void closeAll() {
    closed = true;
    for (String thread : threads.keySet()) {
      services.relay().unsubscribe(new UnsubscribeCommand(key(thread), services.gatewayId(), conn));
    }
    threads.clear();
  }

  /** Threads subscribed or pending; for tests and logs. */
  int size() {
    return threads.size();
  }

  private void answer(ThreadSubscription s, AsyncResult<SubscribeAnswer> ar) {
    boolean current = threads.get(s.thread) == s;
    if (closed) {
      forgetIfSubscribed(s, ar);
      return;
    }
    if (ar.failed()) {
      log.warn("event=subscribe.failed session={} thread={} error={}", client.sessionId(), s.thread,
          ar.cause().toString());
      if (current) {
        threads.remove(s.thread);
      }
      client.write(ServerMessages.error(BusFailure.toErrorCode(ar.cause()), "subscribe failed", s.thread));
      return;
    }
    SubscribeAnswer a = ar.result();
    if (!a.subscribed()) {
      // Written even when superseded: every subscribe gets its answer.
      if (current) {
        threads.remove(s.thread);
      }
      writeReset(s.thread, a.epoch(), a.head(), a.reason());
      return;
    }
    client.write(ServerMessages.subscribed(s.thread, a.epoch(), a.head()));
    if (!current) {
      if (!threads.containsKey(s.thread)) {
        forgetIfSubscribed(s, ar); // unsubscribed meanwhile; a retried subscribe may have landed late
      }
      return;
    }
    s.goLive(a.epoch(), a.head(), a.after());
    if (s.movedBeforeAnswer) {
      s.movedBeforeAnswer = false;
      shardMoved(s);
    }
  }

  private void forward(ThreadSubscription s, Delivery delivery) {
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
          services.metrics().framesOut(written);
          services.metrics().gap();
          log.warn("event=delivery.gap session={} thread={} expected={} got={}", client.sessionId(),
              s.thread, s.cursor().lastDelivered() + 1, seq);
          resubscribe(s, s.cursor().lastDelivered(), "gap");
          return;
        }
      }
      seq = to + 1;
    }
    services.metrics().framesOut(written);
    if (duplicates) {
      // A resend (or a new owner replaying): say what arrived, so the relay stops resending,
      // and repeat the client's ack in case the last one was lost on the way.
      services.relay().received(new DeliveryReceipt(key(s.thread), services.gatewayId(), conn,
          s.sid, s.cursor().lastDelivered(), s.cursor().lastAcked()));
    }
  }

  /**
   * The same cursor under a new sid from {@code after}: after a gap the relay replays what is
   * missing; after a shard move the new owner takes over.
   */
  private void resubscribe(ThreadSubscription s, long after, String why) {
    long sid = nextSid++;
    s.sid = sid;
    log.info("event=resubscribe.start session={} thread={} sid={} after={} reason={}", client.sessionId(),
        s.thread, sid, after, why);
    services.relay().subscribe(command(s, after)).onComplete(ar -> {
      if (closed) {
        forgetIfSubscribed(s, ar);
        return;
      }
      if (threads.get(s.thread) != s || s.sid != sid) {
        if (!threads.containsKey(s.thread)) {
          forgetIfSubscribed(s, ar); // unsubscribed meanwhile: leave nothing at the relay
        }
        return; // replaced meanwhile: the relay keeps the subscription with the newest sid
      }
      if (ar.failed()) {
        log.warn("event=resubscribe.failed session={} thread={} reason={} error={}",
            client.sessionId(), s.thread, why, ar.cause().toString());
        client.close(CloseCode.SERVER_ERROR, "re-subscribe after " + why + " failed");
        return;
      }
      SubscribeAnswer a = ar.result();
      if (!a.subscribed()) {
        threads.remove(s.thread);
        writeReset(s.thread, a.epoch(), a.head(), a.reason());
      } else if (a.after() != null && a.after() != after) {
        // Only a cursor of 0 moves (to the oldest retained): what is missing was trimmed.
        threads.remove(s.thread);
        services.relay().unsubscribe(new UnsubscribeCommand(key(s.thread), services.gatewayId(), conn));
        writeReset(s.thread, a.epoch(), a.head(), "retention");
      }
    });
  }

  private void resetThread(ThreadSubscription s, String epoch, long head, String reason) {
    threads.remove(s.thread);
    writeReset(s.thread, epoch, head, reason);
  }

  private void writeReset(String thread, String epoch, long head, String reason) {
    services.metrics().reset();
    client.write(ServerMessages.reset(thread, epoch, head, reason));
  }

  private void forgetIfSubscribed(ThreadSubscription s, AsyncResult<SubscribeAnswer> ar) {
    if (ar.succeeded() && ar.result().subscribed()) {
      services.relay().unsubscribe(new UnsubscribeCommand(key(s.thread), services.gatewayId(), conn));
    }
  }

  private SubscribeCommand command(ThreadSubscription s, Long after) {
    return new SubscribeCommand(key(s.thread), s.epoch, after, services.gatewayId(), conn, s.sid);
  }

  private ThreadKey key(String thread) {
    return new ThreadKey(sub, thread);
  }
}
