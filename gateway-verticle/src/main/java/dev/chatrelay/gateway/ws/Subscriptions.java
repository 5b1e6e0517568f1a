package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import dev.chatrelay.protocol.wire.ClientMessage.InvalidResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeItem;
import dev.chatrelay.protocol.wire.ServerMessages;
import io.vertx.core.AsyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one authenticated connection. This class asks the relays and writes the
 * answers in command order ({@link AnswerQueue}), releasing a batch's subscriptions only once all
 * its answers are written; the frames go through each thread's cursor in {@link DeliveryGate};
 * gaps and shard moves subscribe again through {@link Resubscriber}. Each subscribe gets a new
 * {@code sid}; deliveries of a replaced subscription are dropped. Event-loop bound.
 */
final class Subscriptions {

  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

  private final SessionServices services;
  private final ClientChannel client;
  private final SubscriptionTable table;
  private final Resubscriber resubscriber;
  private final DeliveryGate deliveries;
  private final AnswerQueue answers = new AnswerQueue();

  Subscriptions(SessionServices services, ClientChannel client, long conn, String sub) {
    this.services = services;
    this.client = client;
    this.table = new SubscriptionTable(services, client, conn, sub);
    this.resubscriber = new Resubscriber(table);
    this.deliveries = new DeliveryGate(table, resubscriber);
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
    if (table.closed()) {
      return;
    }
    int max = services.config().limits().maxSubscriptions();
    if (!table.contains(thread) && table.size() >= max) {
      // PROTOCOL.md Limits: answered in its place among the other answers; nothing is asked.
      services.metrics().limited("subscriptions");
      answers.enqueue(() -> client.write(ServerMessages.error(ErrorCode.LIMIT_EXCEEDED,
          "more than " + max + " subscriptions on this connection", thread)));
      return;
    }
    ThreadSubscription s = table.open(thread, epoch, after);
    batch.add(s);
    AnswerQueue.Slot slot = answers.reserve();
    services.relay().subscribe(table.command(s, after))
        .onComplete(ar -> answers.fill(slot, () -> answer(s, ar)));
  }

  /** Queued behind the batch's answers, so it runs once they are all written. */
  private void releaseAfterAnswers(List<ThreadSubscription> batch) {
    answers.enqueue(() -> batch.forEach(this::release));
  }

  private void release(ThreadSubscription s) {
    if (table.closed() || !table.isCurrent(s) || !s.answered()) {
      return; // replaced, dropped or reset meanwhile
    }
    deliveries.release(s);
  }

  /** Answered at once (after the answers already in line), subscribed or not. */
  void unsubscribe(String thread) {
    if (table.remove(thread) != null) {
      table.unsubscribeAtRelay(thread);
    }
    answers.enqueue(() -> client.write(ServerMessages.unsubscribed(thread)));
  }

  /** Passes on a cumulative ack that moves the acked seq; ignores any other. */
  void ack(String thread, long seq) {
    deliveries.ack(thread, seq);
  }

  void onDelivery(Delivery delivery) {
    deliveries.onDelivery(delivery);
  }

  /** A live subscription the relay can no longer serve (e.g. out of retention). */
  void onReset(SubscriptionReset reset) {
    deliveries.onReset(reset);
  }

  /** The relay let this subscription go because the thread's shard moved: subscribe again. */
  void onMoved(SubscriptionMoved moved) {
    ThreadSubscription s = table.get(moved.thread());
    if (s != null && s.sid == moved.sid()) {
      resubscriber.shardMoved(s);
    }
  }

  /** The owner of {@code shards} changed: re-subscribes each thread of them; returns how many. */
  int shardsMoved(Set<Integer> shards) {
    int moved = 0;
    for (ThreadSubscription s : new ArrayList<>(table.all())) {
      if (shards.contains(services.relay().shardOf(table.key(s.thread)))) {
        resubscriber.shardMoved(s);
        moved++;
      }
    }
    return moved;
  }

  /** True when one of this session's threads lives on a shard in {@code shards}. */
  boolean holdsShardIn(Set<Integer> shards) {
    for (String thread : table.threads()) {
      if (shards.contains(services.relay().shardOf(table.key(thread)))) {
        return true;
      }
    }
    return false;
  }

  /** The connection closed: the relays forget every subscription of it. */
  void closeAll() {
    table.closeAll();
  }

  /** Threads subscribed or pending; for tests and logs. */
  int size() {
    return table.size();
  }

  private void answer(ThreadSubscription s, AsyncResult<SubscribeAnswer> ar) {
    boolean current = table.isCurrent(s);
    if (table.closed()) {
      table.forgetIfSubscribed(s, ar);
      return;
    }
    if (ar.failed()) {
      log.warn("event=subscribe.failed session={} thread={} error={}", client.sessionId(), s.thread,
          ar.cause().toString());
      if (current) {
        table.remove(s.thread);
      }
      client.write(ServerMessages.error(BusFailure.toErrorCode(ar.cause()), "subscribe failed", s.thread));
      return;
    }
    SubscribeAnswer a = ar.result();
    if (!a.subscribed()) {
      // Written even when superseded: every subscribe gets its answer.
      if (current) {
        table.remove(s.thread);
      }
      table.writeReset(s.thread, a.epoch(), a.head(), a.reason());
      return;
    }
    client.write(ServerMessages.subscribed(s.thread, a.epoch(), a.head()));
    if (!current) {
      if (!table.contains(s.thread)) {
        table.forgetIfSubscribed(s, ar); // unsubscribed meanwhile; a retried subscribe may have landed late
      }
      return;
    }
    s.goLive(a.epoch(), a.head(), a.after());
    if (s.movedBeforeAnswer) {
      s.movedBeforeAnswer = false;
      resubscriber.shardMoved(s);
    }
  }
}
