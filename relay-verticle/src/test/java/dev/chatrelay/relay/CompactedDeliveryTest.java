package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pump over a compacted journal: each run of dropped seqs goes out as one {@code compacted}
 * notice in seq order with the frames, counts as one frame against the window, and only a
 * missing conversation frame resets. Two seeded turns of 8 frames with retention frames 2 keep
 * seqs 1, 7, 9, 15, 16 (user 1, message 7, user 9, message 15, typing 16).
 */
@ExtendWith(VertxExtension.class)
class CompactedDeliveryTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static RelayHarness deploy(Vertx vertx, int window, int messages) {
    RelayConfig config = RelayConfig.defaults().withFlow(window, 60_000, 2, 64)
        .withSweep(20, 60_000).withRetentionMessages(messages);
    RelayHarness h = RelayHarness.deploy(vertx, config,
        new InMemoryJournal(2, messages, Clock.SYSTEM, config.shards()));
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    seedTwoTurns(h);
    return h;
  }

  /** Two ended turns of 8 frames each, written straight into the journal. */
  static void seedTwoTurns(RelayHarness h) {
    seedTurns(h, 2);
  }

  /** {@code turns} ended turns of 8 frames each (s1, s2...), straight into the journal. */
  static void seedTurns(RelayHarness h, int turns) {
    for (int turn = 1; turn <= turns; turn++) {
      String send = "s" + turn;
      h.journal.append(KEY, FrameDraft.userMessage(send, "q")).await();
      h.journal.append(KEY, FrameDraft.reply(send, 0, FrameKind.TYPING,
          new JsonObject().put("on", true))).await();
      for (int i = 1; i <= 4; i++) {
        h.journal.append(KEY, FrameDraft.reply(send, i, FrameKind.CHUNK,
            new JsonObject().put("text", "c").put("index", i - 1))).await();
      }
      h.journal.append(KEY, FrameDraft.reply(send, 5, FrameKind.MESSAGE,
          new JsonObject().put("text", "cccc"))).await();
      h.journal.append(KEY, FrameDraft.reply(send, 6, FrameKind.TYPING,
          new JsonObject().put("on", false))).await();
    }
  }

  /** Each item delivered to {@code conn}: "seq" for a frame, "from-to" for a notice. */
  static List<String> items(RelayHarness h, long conn) {
    h.flush(KEY);
    List<String> out = new ArrayList<>();
    for (Delivery d : h.gateway.deliveries(conn)) {
      for (String wire : d.frames()) {
        JsonObject m = new JsonObject(wire);
        out.add("compacted".equals(m.getString("type"))
            ? m.getLong("from") + "-" + m.getLong("to") : String.valueOf(m.getLong("seq")));
      }
    }
    return out;
  }

  private static void awaitItems(RelayHarness h, long conn, List<String> expected) {
    await().atMost(WAIT).until(() -> items(h, conn).size() >= expected.size());
    assertEquals(expected, items(h, conn));
  }

  @Test
  void runsGoInSeqOrderWithTheFramesAndCountAsOneAgainstTheWindow(Vertx vertx) {
    RelayHarness h = deploy(vertx, 3, 100);
    SubscribeAnswer answer = h.subscribe(KEY, null, 0L, 1, 1);
    assertTrue(answer.subscribed());
    // Window 3: frame 1, the run 2-6 (five seqs, one item), frame 7.
    awaitItems(h, 1, List.of("1", "2-6", "7"));
    Delivery first = h.gateway.deliveries(1).get(0);
    assertEquals(1, first.firstSeq());
    assertEquals(7, first.lastSeq());
    assertEquals(List.of(1L, 6L), first.runs());
    JsonObject notice = new JsonObject(first.frames().get(1));
    assertEquals(new JsonObject().put("type", "compacted").put("thread", "t1")
        .put("epoch", answer.epoch()).put("from", 2L).put("to", 6L), notice);
    h.ack(KEY, 1, 7);
    awaitItems(h, 1, List.of("1", "2-6", "7", "8-8", "9", "10-14"));
    // An ack naming a run's last seq frees the window like any other.
    h.ack(KEY, 1, 14);
    awaitItems(h, 1, List.of("1", "2-6", "7", "8-8", "9", "10-14", "15", "16"));
  }

  @Test
  void aCursorInsideARunGetsTheRestOfIt(Vertx vertx) {
    RelayHarness h = deploy(vertx, 256, 100);
    assertTrue(h.subscribe(KEY, null, 3L, 1, 1).subscribed());
    awaitItems(h, 1, List.of("4-6", "7", "8-8", "9", "10-14", "15", "16"));
  }

  @Test
  void onlyAMissingConversationFrameResets(Vertx vertx) {
    // Two conversation frames kept: user 9 and message 15; user 1 and message 7 left (floor 8).
    RelayHarness h = deploy(vertx, 256, 2);
    assertTrue(h.subscribe(KEY, null, 7L, 1, 1).subscribed());
    awaitItems(h, 1, List.of("8-8", "9", "10-14", "15", "16"));
    SubscribeAnswer reset = h.subscribe(KEY, null, 6L, 2, 1);
    assertFalse(reset.subscribed());
    assertEquals("retention", reset.reason());
  }

  @Test
  void historyReturnsTheRemainingFramesAndPagesByAfterAcrossRuns(Vertx vertx) {
    RelayHarness h = deploy(vertx, 256, 100);
    assertEquals(List.of(1L, 7L), seqs(h, 0, 2));
    assertEquals(List.of(9L, 15L), seqs(h, 7, 2));
    assertEquals(List.of(7L, 9L, 15L, 16L), seqs(h, 4, 100), "after inside a run");
    assertEquals(List.of(9L, 15L, 16L), seqs(h, 8, 100), "after the last seq of a run");
  }

  private static List<Long> seqs(RelayHarness h, long after, int limit) {
    return h.history(KEY, after, limit).frames().stream().map(f -> f.seq()).toList();
  }
}
