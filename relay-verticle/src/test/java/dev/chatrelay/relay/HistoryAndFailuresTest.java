package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** History pages, journal failures, malformed commands and moving shards. */
@ExtendWith(VertxExtension.class)
class HistoryAndFailuresTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static RelayConfig config() {
    return RelayConfig.defaults().withFlow(256, 60_000, 5, 3).withSweep(20, 60_000);
  }

  private static List<Long> seqs(HistoryPage page) {
    return page.frames().stream().map(Frame::seq).toList();
  }

  @Test
  void historyPagesRetainedFramesAfterACursor(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, config(), new InMemoryJournal(5, 5, Clock.SYSTEM, Shards.DEFAULT_COUNT));
    h.seed(KEY, 8);
    HistoryPage page = h.history(KEY, 4, 2);
    assertEquals("t1", page.thread());
    assertEquals(8, page.head());
    assertEquals(List.of(5L, 6L), seqs(page));
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), seqs(h.history(KEY, 0, 100)), "only retained frames");
    assertEquals(List.of(7L, 8L), seqs(h.history(KEY, 6, 100)));
    assertTrue(h.history(KEY, 8, 100).frames().isEmpty());
    assertEquals(page.epoch(), h.history(KEY, 8, 100).epoch());
    // Served from the cache once live frames arrive.
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    h.send(KEY, "m1", "x");
    assertEquals(List.of(8L, 9L), seqs(h.history(KEY, 7, 100)));
  }

  @Test
  void aThreadNeverWrittenHasAnEpochAndNoFrames(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, config(), new InMemoryJournal(5, 5, Clock.SYSTEM, Shards.DEFAULT_COUNT));
    HistoryPage page = h.history(new ThreadKey("nobody", "empty"), 0, 100);
    assertEquals(0, page.head());
    assertTrue(page.frames().isEmpty());
    assertFalse(page.epoch().isEmpty());
  }

  @Test
  void aJournalFailureFailsTheRequestAndLosesNothing(Vertx vertx) {
    ControllableJournal journal = new ControllableJournal(new InMemoryJournal(100, Clock.SYSTEM), vertx);
    RelayHarness h = RelayHarness.deploy(vertx, config(), journal);
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    h.seed(KEY, 2);
    h.subscribe(KEY, null, 0L, 1, 1);
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).equals(List.of(1L, 2L)));
    journal.failAppends = true;
    assertEquals(BusFailure.INTERNAL, h.failureCode(KEY, new SendCommand(KEY, "s1", "x").toJson()));
    journal.failReads = true;
    assertEquals(BusFailure.INTERNAL,
        h.failureCode(KEY, new dev.chatrelay.protocol.bus.HistoryQuery(KEY, 0, 10).toJson()));
    journal.failAppends = false;
    journal.failReads = false;
    assertEquals(3, h.send(KEY, "s1", "x"));
    assertEquals(3, h.send(KEY, "s1", "x"));
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).equals(List.of(1L, 2L, 3L)));
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    h.flush(KEY);
    assertEquals(1, worker.dispatches.size());
  }

  /** Redis unreachable: 504, which a worker retries (a client still gets internal). */
  @Test
  void anUnreachableJournalFailsWithUnavailable(Vertx vertx) {
    ControllableJournal journal = new ControllableJournal(new InMemoryJournal(100, Clock.SYSTEM), vertx);
    RelayHarness h = RelayHarness.deploy(vertx, config(), journal);
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    journal.failAppends = true;
    journal.unreachable = true;
    assertEquals(BusFailure.UNAVAILABLE,
        h.failureCode(KEY, new SendCommand(KEY, "s1", "x").toJson()));
    journal.failAppends = false;
    assertEquals(1, h.send(KEY, "s1", "x"));
  }

  /**
   * Found by ClusterChaosIT (Redis restarted under load): the send script ran, so the user
   * message and its pending job were journaled, but the connection dropped before the answer.
   * The client's retry of the same id must start the reply, not only answer the same seq.
   */
  @Test
  void aSendJournaledWhoseAnswerWasLostStillGetsItsReplyOnRetry(Vertx vertx) {
    ControllableJournal journal = new ControllableJournal(new InMemoryJournal(100, Clock.SYSTEM), vertx);
    RelayHarness h = RelayHarness.deploy(vertx, config(), journal);
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    journal.loseNextSendAnswer = true;
    assertEquals(BusFailure.INTERNAL, h.failureCode(KEY, new SendCommand(KEY, "s1", "x").toJson()));
    assertEquals(1, h.send(KEY, "s1", "x"));
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    assertEquals("s1", worker.dispatches.get(0).job());
    assertEquals(1, h.send(KEY, "s1", "x"));
    h.flush(KEY);
    assertEquals(1, worker.dispatches.size(), "a repeat of a known job starts no second one");
  }

  @Test
  void aFailedReplayReadIsRetried(Vertx vertx) {
    ControllableJournal journal = new ControllableJournal(new InMemoryJournal(100, Clock.SYSTEM), vertx);
    RelayHarness h = RelayHarness.deploy(vertx,
        config().withJobs(60_000, 200, 10, 4), journal);
    h.seed(KEY, 3);
    journal.failReads = true;
    assertTrue(h.subscribe(KEY, null, 0L, 1, 1).subscribed());
    await().atMost(WAIT).until(() -> journal.reads.get() >= 2);
    h.gateway.flush();
    assertTrue(h.gateway.seqs(1).isEmpty());
    journal.failReads = false;
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).equals(List.of(1L, 2L, 3L)));
  }

  @Test
  void anIdleThreadLeavesMemoryAndReloadsFromTheJournal(Vertx vertx) {
    InMemoryJournal journal = new InMemoryJournal(100, Clock.SYSTEM);
    RelayHarness h = RelayHarness.deploy(vertx, config().withSweep(20, 60_000), journal);
    h.seed(KEY, 3);
    assertEquals(3, h.history(KEY, 0, 10).head());
    // Written behind the relay's back: only a reload can see it.
    journal.append(KEY, dev.chatrelay.relay.journal.FrameDraft.userMessage("x", "x")).await();
    assertEquals(3, h.history(KEY, 3, 10).head(), "the relay's head is still the loaded one");
    h.advanceClock(60_001);
    await().atMost(WAIT).until(() -> h.history(KEY, 3, 10).head() == 4);
  }

  @Test
  void malformedCommandsAreBadRequests(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, config(), new InMemoryJournal(5, 5, Clock.SYSTEM, Shards.DEFAULT_COUNT));
    JsonObject base = new JsonObject().put("sub", KEY.sub()).put("thread", KEY.thread());
    assertEquals(BusFailure.BAD_REQUEST, h.failureCode(KEY, base.copy().put("op", "bogus")));
    assertEquals(BusFailure.BAD_REQUEST, h.failureCode(KEY, base.copy().put("op", "send")));
    assertEquals(BusFailure.BAD_REQUEST,
        h.failureCode(KEY, base.copy().put("op", "history").put("after", -1).put("limit", 5)));
    assertEquals(BusFailure.BAD_REQUEST, h.failureCode(KEY, new JsonObject().put("op", "send")
        .put("id", "a").put("text", "b")));
    // A thread sent to a shard that is not its own.
    ThreadKey other = new ThreadKey("alice", "t2");
    for (int i = 3; Shards.shardOf(other, 64) == Shards.shardOf(KEY, 64); i++) {
      other = new ThreadKey("alice", "t" + i);
    }
    JsonObject misrouted = new SendCommand(other, "s1", "x").toJson();
    assertEquals(BusFailure.BAD_REQUEST, h.failureCode(KEY, misrouted));
  }

  @Test
  void aReleasedShardStopsConsumingAndForgetsItsThreads(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, config(), new InMemoryJournal(5, 5, Clock.SYSTEM, Shards.DEFAULT_COUNT));
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    int shard = Shards.shardOf(KEY, h.config.shards());
    h.subscribe(KEY, null, 0L, 1, 1);
    h.send(KEY, "s1", "x");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    h.verticle.shardOwner().release(shard).await();
    assertFalse(h.verticle.shardOwner().owned().contains(shard));
    assertTrue(h.request(KEY, new dev.chatrelay.protocol.bus.HistoryQuery(KEY, 0, 1).toJson())
        .failed());
    // The next owner resumes the unfinished job above the last attempt: the old worker is fenced.
    h.verticle.shardOwner().acquire(shard).await();
    assertEquals(1, h.history(KEY, 0, 10).head());
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 2);
    assertEquals(2, worker.dispatches.get(1).attempt());
    assertEquals(0, worker.dispatches.get(1).fromIndex());
    assertEquals(BusFailure.FENCED, h.appendFailure(KEY, "s1", 1, 0));
    h.send(KEY, "s2", "y");
    h.flush(KEY);
    assertTrue(h.gateway.seqs(1).size() <= 1, "subscriptions of a released shard are dropped");
  }
}
