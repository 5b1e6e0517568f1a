package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Subscribe, replay, live delivery, resets, flow control and slow consumers through the bus. */
@ExtendWith(VertxExtension.class)
class SubscriptionTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Fast sweeps; jobs never end on their own (a stalling worker takes them). */
  private static RelayConfig config(int window, long slowMs, int retention, int cache) {
    return RelayConfig.defaults().withFlow(window, slowMs, retention, cache).withSweep(20, 60_000);
  }

  private static RelayHarness deploy(Vertx vertx, RelayConfig config) {
    // Seeds are user messages: keeping as many of them as frames is the frame retention of old.
    RelayHarness h = RelayHarness.deploy(vertx, config, new InMemoryJournal(
        config.retentionFrames(), config.retentionFrames(), Clock.SYSTEM, config.shards()));
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    return h;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static void awaitSeqs(RelayHarness h, long conn, List<Long> expected) {
    await().atMost(WAIT).until(() -> h.gateway.seqs(conn).size() >= expected.size());
    h.flush(KEY);
    assertEquals(expected, h.gateway.seqs(conn));
  }

  @Test
  void withoutAfterOnlyLiveFramesArrive(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 3);
    SubscribeAnswer answer = h.subscribe(KEY, null, null, 1, 11);
    assertTrue(answer.subscribed());
    assertEquals(3, answer.head());
    h.flush(KEY);
    assertTrue(h.gateway.deliveries(1).isEmpty());

    h.send(KEY, "m1", "hello");
    awaitSeqs(h, 1, List.of(4L));
    Delivery d = h.gateway.deliveries(1).get(0);
    assertEquals(11, d.sid());
    assertEquals("t1", d.thread());
    JsonObject frame = new JsonObject(d.frames().get(0));
    assertEquals("frame", frame.getString("type"));
    assertEquals(answer.epoch(), frame.getString("epoch"));
    assertEquals("m1", frame.getString("id"));
    assertEquals("user_message", frame.getString("kind"));
    assertEquals("hello", frame.getJsonObject("data").getString("text"));
  }

  @Test
  void aLateRetryOfAnOlderSubscribeDoesNotReplaceTheNewerOne(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 2);
    assertTrue(h.subscribe(KEY, null, 0L, 1, 5).subscribed());
    awaitSeqs(h, 1, List.of(1L, 2L));
    // sid 3 was sent before sid 5 but its retry lands now: it must not take over.
    assertTrue(h.subscribe(KEY, null, 0L, 1, 3).subscribed());
    h.send(KEY, "m1", "hello");
    awaitSeqs(h, 1, List.of(1L, 2L, 3L));
    assertEquals(List.of(5L, 5L), h.gateway.deliveries(1).stream().map(Delivery::sid).toList());
  }

  @Test
  void afterACursorReplaysTheRestInOneDelivery(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 5);
    assertTrue(h.subscribe(KEY, null, 2L, 1, 1).subscribed());
    awaitSeqs(h, 1, range(3, 5));
    Delivery d = h.gateway.deliveries(1).get(0);
    assertEquals(3, d.firstSeq());
    assertEquals(5, d.lastSeq());
  }

  @Test
  void afterZeroReplaysEverythingRetainedThenGoesLive(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 5);
    String epoch = h.subscribe(KEY, null, 0L, 1, 1).epoch();
    awaitSeqs(h, 1, range(1, 5));
    // The same epoch resumes; live frames continue the sequence.
    assertTrue(h.subscribe(KEY, epoch, 5L, 2, 2).subscribed());
    h.send(KEY, "m1", "x");
    awaitSeqs(h, 2, List.of(6L));
    awaitSeqs(h, 1, range(1, 6));
  }

  @Test
  void replayAndLiveMergeWithoutGapOrDuplicateDuringSlowReads(Vertx vertx) {
    RelayConfig config = config(4, 60_000, 1000, 2);
    ControllableJournal journal = new ControllableJournal(new InMemoryJournal(1000, Clock.SYSTEM), vertx);
    RelayHarness h = RelayHarness.deploy(vertx, config, journal);
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    h.seed(KEY, 10);
    h.gateway.autoAck(1, KEY);

    journal.holdReads();
    assertTrue(h.subscribe(KEY, null, 0L, 1, 1).subscribed());
    await().atMost(WAIT).until(() -> journal.heldReads() == 1);
    for (int i = 1; i <= 3; i++) {
      h.send(KEY, "during-read-" + i, "x");
    }
    journal.readDelayMs = 5;
    journal.release();
    for (int i = 1; i <= 5; i++) {
      h.send(KEY, "during-replay-" + i, "x");
    }
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).size() >= 18);
    h.send(KEY, "after", "x");
    awaitSeqs(h, 1, range(1, 19));
    assertTrue(journal.reads.get() >= 3, "replay went through the journal");
    for (Delivery d : h.gateway.deliveries(1)) {
      assertTrue(d.lastSeq() - d.firstSeq() + 1 <= 4, "a delivery never exceeds the window");
    }
  }

  @Test
  void anUnknownEpochIsReset(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 2);
    SubscribeAnswer answer = h.subscribe(KEY, "old-epoch", 1L, 1, 1);
    assertFalse(answer.subscribed());
    assertEquals("epoch", answer.reason());
    assertEquals(2, answer.head());
    assertFalse(answer.epoch().equals("old-epoch"));
    h.send(KEY, "m1", "x");
    h.flush(KEY);
    assertTrue(h.gateway.deliveries(1).isEmpty(), "a reset thread is not subscribed");
    assertEquals(1, h.count("relay.subscription.resets", "reason", "epoch"));
  }

  @Test
  void aCursorAheadOfHeadIsReset(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 3);
    SubscribeAnswer answer = h.subscribe(KEY, null, 4L, 1, 1);
    assertFalse(answer.subscribed());
    assertEquals("ahead", answer.reason());
    assertEquals(3, answer.head());
    assertTrue(h.subscribe(KEY, answer.epoch(), 3L, 1, 2).subscribed());
  }

  @Test
  void aCursorOlderThanRetentionIsReset(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 60_000, 5, 64));
    h.seed(KEY, 8);
    SubscribeAnswer answer = h.subscribe(KEY, null, 2L, 1, 1);
    assertFalse(answer.subscribed());
    assertEquals("retention", answer.reason());
    assertEquals(8, answer.head());
    // Frames 4..8 are kept: a cursor at 3 still resumes.
    assertTrue(h.subscribe(KEY, null, 3L, 2, 2).subscribed());
    awaitSeqs(h, 2, range(4, 8));
  }

  @Test
  void afterZeroOnATrimmedThreadReplaysFromTheOldestRetained(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 60_000, 5, 2));
    h.seed(KEY, 8);
    SubscribeAnswer answer = h.subscribe(KEY, null, 0L, 1, 1);
    assertTrue(answer.subscribed(), "after 0 means all retained, never a retention reset");
    assertEquals(3L, answer.after(), "frames 4..8 are kept");
    assertEquals(8, answer.head());
    awaitSeqs(h, 1, range(4, 8));
    h.send(KEY, "m1", "x");
    awaitSeqs(h, 1, range(4, 9));
  }

  @Test
  void aFullWindowStopsDeliveryUntilAcked(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(3, 60_000, 1000, 64));
    h.seed(KEY, 10);
    h.subscribe(KEY, null, 0L, 1, 1);
    awaitSeqs(h, 1, range(1, 3));
    h.ack(KEY, 1, 2);
    awaitSeqs(h, 1, range(1, 5));
    h.ack(KEY, 1, 5);
    awaitSeqs(h, 1, range(1, 8));
    h.send(KEY, "m1", "x");
    h.ack(KEY, 1, 8);
    awaitSeqs(h, 1, range(1, 11));
  }

  @Test
  void anAckAboveWhatWasSentIsIgnored(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(2, 60_000, 1000, 64));
    h.seed(KEY, 5);
    h.subscribe(KEY, null, 0L, 1, 1);
    awaitSeqs(h, 1, range(1, 2));
    h.ack(KEY, 1, 4);
    awaitSeqs(h, 1, range(1, 2));
    h.ack(KEY, 1, 2);
    awaitSeqs(h, 1, range(1, 4));
  }

  @Test
  void aSubscriptionFullTooLongClosesItsConnectionWith4008(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(2, 60_000, 1000, 64));
    h.seed(KEY, 5);
    h.gateway.autoAck(2, KEY);
    h.subscribe(KEY, null, 0L, 1, 1);
    h.subscribe(KEY, null, 0L, 2, 2);
    awaitSeqs(h, 2, range(1, 5));
    awaitSeqs(h, 1, range(1, 2));
    h.flush(KEY);
    assertTrue(h.gateway.closes().isEmpty(), "full, but not for long yet");
    h.advanceClock(60_001);
    await().atMost(WAIT).until(() -> !h.gateway.closes().isEmpty());
    CloseConnection close = h.gateway.closes().get(0);
    assertEquals(1, close.conn());
    assertEquals(4008, close.code());
    assertEquals("slow consumer", close.reason());
    assertEquals(1, h.count("relay.slow_consumer.closes"));
    // The slow subscription is gone; the fast one goes on.
    h.ack(KEY, 1, 2);
    h.send(KEY, "m1", "x");
    awaitSeqs(h, 2, range(1, 6));
    assertEquals(range(1, 2), h.gateway.seqs(1));
    assertEquals(1, h.gateway.closes().size());
  }

  @Test
  void aLiveCursorFallingOutOfRetentionIsReset(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(2, 60_000, 5, 64));
    h.seed(KEY, 2);
    h.subscribe(KEY, null, 0L, 1, 7);
    awaitSeqs(h, 1, range(1, 2));
    for (int i = 1; i <= 5; i++) {
      h.send(KEY, "m" + i, "x");
    }
    h.flush(KEY);
    assertTrue(h.gateway.resets().isEmpty(), "frame 3 is still retained at head 7");
    h.send(KEY, "m6", "x");
    await().atMost(WAIT).until(() -> !h.gateway.resets().isEmpty());
    SubscriptionReset reset = h.gateway.resets().get(0);
    assertEquals(1, reset.conn());
    assertEquals(7, reset.sid());
    assertEquals("retention", reset.reason());
    assertEquals(8, reset.head());
    h.ack(KEY, 1, 2);
    h.flush(KEY);
    assertEquals(range(1, 2), h.gateway.seqs(1));
    assertEquals(1, h.count("relay.subscription.resets", "reason", "retention"));
  }

  @Test
  void unsubscribeStopsDelivery(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.subscribe(KEY, null, null, 1, 1);
    h.send(KEY, "m1", "x");
    awaitSeqs(h, 1, List.of(1L));
    h.unsubscribe(KEY, 1);
    h.send(KEY, "m2", "x");
    h.flush(KEY);
    assertEquals(List.of(1L), h.gateway.seqs(1));
  }

  @Test
  void subscribingAgainReplacesTheCursor(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults());
    h.seed(KEY, 3);
    h.subscribe(KEY, null, 0L, 1, 1);
    awaitSeqs(h, 1, range(1, 3));
    h.subscribe(KEY, null, 1L, 1, 2);
    awaitSeqs(h, 1, List.of(1L, 2L, 3L, 2L, 3L));
    List<Delivery> deliveries = h.gateway.deliveries(1);
    assertEquals(2, deliveries.get(deliveries.size() - 1).sid());
  }
}
