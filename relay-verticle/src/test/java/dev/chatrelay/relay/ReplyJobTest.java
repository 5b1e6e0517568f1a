package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.JobCancel;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** send, reply jobs on workers, leases, fencing, retries and cancel through the bus. */
@ExtendWith(VertxExtension.class)
class ReplyJobTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static RelayHarness deploy(Vertx vertx, RelayConfig config) {
    return RelayHarness.deploy(vertx, config,
        new InMemoryJournal(config.retentionFrames(), Clock.SYSTEM));
  }

  /** Long lease, fast dispatch timeout and retries, fast sweep. */
  private static RelayConfig fast() {
    return RelayConfig.defaults().withJobs(60_000, 1_000, 10, 4).withSweep(20, 60_000);
  }

  private static List<Frame> journaled(RelayHarness h, ThreadKey key) {
    return h.journal.read(key, 0, 1000).await();
  }

  private static List<String> ids(RelayHarness h, ThreadKey key) {
    return journaled(h, key).stream().map(Frame::id).toList();
  }

  private static boolean noPendingJobs(RelayHarness h, ThreadKey key) {
    return h.journal.pendingJobs(Shards.shardOf(key, h.config.shards())).await().isEmpty();
  }

  /** Plays the worker for job {@code job}: typing on, message, typing off, done. */
  private static void finishAsWorker(RelayHarness h, String job, int attempt, int fromIndex) {
    JsonObject[] data = {new JsonObject().put("on", true), new JsonObject().put("text", "ok"),
        new JsonObject().put("on", false)};
    FrameKind[] kinds = {FrameKind.TYPING, FrameKind.MESSAGE, FrameKind.TYPING};
    for (int i = fromIndex; i < 3; i++) {
      h.append(KEY, job, attempt, i, kinds[i], data[i]);
    }
    h.tell(KEY, new JobProgress(KEY, job, attempt, true).toJson());
  }

  @Test
  void aRepeatedSendAnswersTheSameSeqAndStartsNoSecondJob(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    assertEquals(1, h.send(KEY, "s1", "first"));
    assertEquals(1, h.send(KEY, "s1", "second"));
    assertEquals(2, h.send(KEY, "s2", "other"));
    assertEquals(1, h.send(KEY, "s1", "third"));
    h.flush(KEY);
    List<Frame> frames = journaled(h, KEY);
    assertEquals(2, frames.size());
    assertEquals("first", frames.get(0).dataString("text"));
    assertEquals(FrameKind.USER_MESSAGE, frames.get(0).kind());
    assertEquals("s1", frames.get(0).id());
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    finishAsWorker(h, "s1", 1, 0);
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 2);
    h.flush(KEY);
    assertEquals(List.of("s1", "s2"), worker.dispatches.stream().map(JobDispatch::job).toList());
  }

  @Test
  void threadsOfDifferentUsersAreIndependent(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    ThreadKey bob = new ThreadKey("bob", KEY.thread());
    assertEquals(1, h.send(KEY, "same-id", "from alice"));
    assertEquals(1, h.send(bob, "same-id", "from bob"));
    assertEquals(2, h.send(KEY, "a2", "alice again"));
    assertEquals("from bob", h.history(bob, 0, 10).frames().get(0).dataString("text"));
    assertEquals(1, h.history(bob, 0, 10).head());
    h.subscribe(KEY, null, 0L, 1, 1);
    await().atMost(WAIT).until(() -> h.gateway.frames(1).size() == 2);
    h.flush(KEY);
    assertEquals(List.of("from alice", "alice again"), h.gateway.frames(1).stream()
        .map(f -> f.getJsonObject("data").getString("text")).toList());
  }

  @Test
  void aSendIsAnsweredByAWorkerInFrameOrder(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    h.send(KEY, "s1", "hi");
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 6 && noPendingJobs(h, KEY));
    JobDispatch d = worker.dispatches.get(0);
    assertEquals(new JobDispatch(KEY, "s1", "s1", "hi", 1, 0, false), d);
    List<Frame> frames = journaled(h, KEY);
    assertEquals(List.of("s1", "s1:0", "s1:1", "s1:2", "s1:3", "s1:4"),
        frames.stream().map(Frame::id).toList());
    assertEquals(List.of(FrameKind.USER_MESSAGE, FrameKind.TYPING, FrameKind.CHUNK,
        FrameKind.CHUNK, FrameKind.MESSAGE, FrameKind.TYPING),
        frames.stream().map(Frame::kind).toList());
    for (Frame f : frames.subList(1, 6)) {
      assertEquals("s1", f.replyTo());
    }
    assertEquals(1, h.metrics.registry().find("relay.job.completion").timer().count());
  }

  @Test
  void repliesOfOneThreadRunOneAtATimeInSendOrder(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> d.job().equals("a") ? FakeWorker.Mode.STALL : FakeWorker.Mode.RUN;
    h.send(KEY, "a", "first");
    h.send(KEY, "b", "second");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    h.flush(KEY);
    assertEquals(1, worker.dispatches.size(), "b waits for a");
    finishAsWorker(h, "a", 1, 0);
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 10 && noPendingJobs(h, KEY));
    assertEquals(List.of("a", "b", "a:0", "a:1", "a:2", "b:0", "b:1", "b:2", "b:3", "b:4"),
        ids(h, KEY));
  }

  @Test
  void aWorkerThatNeverAnswersTheDispatchIsReplaced(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.SILENT : FakeWorker.Mode.RUN;
    h.send(KEY, "s1", "hi");
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 6 && noPendingJobs(h, KEY));
    assertEquals(List.of(1, 2), worker.dispatches.stream().map(JobDispatch::attempt).toList());
    assertEquals(1, h.count("relay.job.redispatches"));
  }

  @Test
  void anExpiredLeaseRedispatchesFromTheNextIndex(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.STALL : FakeWorker.Mode.RUN;
    h.send(KEY, "s1", "hi");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    assertEquals(2, h.append(KEY, "s1", 1, 0, FrameKind.TYPING, new JsonObject().put("on", true)));
    assertEquals(3, h.append(KEY, "s1", 1, 1, FrameKind.CHUNK,
        new JsonObject().put("text", "c0/hi ").put("index", 0)));
    // The first worker goes silent; its lease runs out.
    h.flush(KEY);
    assertEquals(1, worker.dispatches.size());
    h.advanceClock(60_001);
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 6 && noPendingJobs(h, KEY));
    JobDispatch second = worker.dispatches.get(1);
    assertEquals(2, second.attempt());
    assertEquals(2, second.fromIndex());
    assertEquals(List.of("s1", "s1:0", "s1:1", "s1:2", "s1:3", "s1:4"), ids(h, KEY));
    assertEquals(BusFailure.FENCED, h.appendFailure(KEY, "s1", 1, 2));
    assertTrue(h.count("relay.job.redispatches") >= 1);
  }

  @Test
  void appendsAreFencedOrderedAndIdempotent(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    // The first worker is busy (503): the job goes out again as attempt 2, which stalls.
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.BUSY : FakeWorker.Mode.STALL;
    h.send(KEY, "s1", "hi");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 2);
    h.flush(KEY);
    assertEquals(BusFailure.FENCED, h.appendFailure(KEY, "s1", 1, 0));
    assertEquals(BusFailure.FENCED, h.appendFailure(KEY, "other-job", 2, 0));
    assertEquals(BusFailure.OUT_OF_ORDER, h.appendFailure(KEY, "s1", 2, 1));
    JsonObject on = new JsonObject().put("on", true);
    assertEquals(2, h.append(KEY, "s1", 2, 0, FrameKind.TYPING, on));
    assertEquals(2, h.append(KEY, "s1", 2, 0, FrameKind.TYPING, on), "a repeated index is a no-op");
    assertEquals(3, h.append(KEY, "s1", 2, 1, FrameKind.ERROR,
        new JsonObject().put("code", "engine_error").put("message", "boom")));
    assertEquals(2, h.append(KEY, "s1", 2, 0, FrameKind.TYPING, on));
    assertEquals(List.of("s1", "s1:0", "s1:1"), ids(h, KEY));
  }

  @Test
  void withNoWorkerTheRelayEndsTheReplyWithWorkerUnavailable(Vertx vertx) {
    RelayHarness h = deploy(vertx, RelayConfig.defaults().withJobs(60_000, 100, 5, 3)
        .withSweep(20, 60_000));
    h.send(KEY, "s1", "hello?");
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 4 && noPendingJobs(h, KEY));
    List<Frame> frames = journaled(h, KEY);
    assertEquals(List.of("s1", "s1:0", "s1:1", "s1:2"), frames.stream().map(Frame::id).toList());
    assertEquals(List.of(FrameKind.USER_MESSAGE, FrameKind.TYPING, FrameKind.ERROR,
        FrameKind.TYPING), frames.stream().map(Frame::kind).toList());
    assertEquals("worker_unavailable", frames.get(2).dataString("code"));
    assertEquals("s1", frames.get(2).replyTo());
    assertEquals("false", frames.get(3).dataString("on"));
    assertEquals(1, h.count("relay.job.abandoned"));
    assertEquals(2, h.count("relay.job.redispatches"));
    // The thread is not stuck: the next send gets its own ending.
    h.send(KEY, "s2", "again");
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 8);
  }

  @Test
  void cancellingAQueuedReplyEndsItInItsTurnWithoutAWorker(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    h.send(KEY, "a", "first");
    h.send(KEY, "b", "second");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    assertEquals(new JsonObject(), h.cancel(KEY, "b"));
    finishAsWorker(h, "a", 1, 0);
    await().atMost(WAIT).until(() -> journaled(h, KEY).size() == 8 && noPendingJobs(h, KEY));
    List<Frame> frames = journaled(h, KEY);
    assertEquals(List.of("a", "b", "a:0", "a:1", "a:2", "b:0", "b:1", "b:2"),
        frames.stream().map(Frame::id).toList());
    Frame cancelled = frames.get(6);
    assertEquals(FrameKind.MESSAGE, cancelled.kind());
    assertEquals(new JsonObject().put("text", "").put("cancelled", true), cancelled.data());
    assertEquals("b", cancelled.replyTo());
    assertEquals("true", frames.get(5).dataString("on"));
    assertEquals("false", frames.get(7).dataString("on"));
    h.flush(KEY);
    assertEquals(1, worker.dispatches.size(), "a cancelled queued reply needs no worker");
  }

  @Test
  void cancellingARunningReplyTellsItsWorker(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    h.send(KEY, "a", "first");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    h.flush(KEY);
    h.cancel(KEY, "a");
    await().atMost(WAIT).until(() -> worker.cancels.size() == 1);
    assertEquals(new JobCancel(KEY, "a", 1), worker.cancels.get(0));
    finishAsWorker(h, "a", 1, 0);
    await().atMost(WAIT).until(() -> noPendingJobs(h, KEY));
    // Nothing in progress any more.
    assertEquals(BusFailure.NOT_FOUND,
        h.failureCode(KEY, new dev.chatrelay.protocol.bus.CancelCommand(KEY, "a").toJson()));
  }

  @Test
  void aCancelledJobThatIsDispatchedAgainCarriesTheCancel(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.STALL : FakeWorker.Mode.RUN;
    h.send(KEY, "a", "first");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    h.append(KEY, "a", 1, 0, FrameKind.TYPING, new JsonObject().put("on", true));
    h.cancel(KEY, "a");
    await().atMost(WAIT).until(() -> worker.cancels.size() == 1);
    // The worker that was told to cancel dies before it could.
    h.advanceClock(60_001);
    await().atMost(WAIT).until(() -> noPendingJobs(h, KEY));
    JobDispatch again = worker.dispatches.get(1);
    assertTrue(again.cancelled());
    assertEquals(1, again.fromIndex());
    assertEquals(List.of("a", "a:0", "a:1", "a:2"), ids(h, KEY));
  }

  @Test
  void cancelWithNothingInProgressIsNotFound(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    assertEquals(BusFailure.NOT_FOUND,
        h.failureCode(KEY, new dev.chatrelay.protocol.bus.CancelCommand(KEY, "nope").toJson()));
  }

  @Test
  void theRelayListensOnEveryShardOnceStarted(Vertx vertx) {
    RelayHarness h = deploy(vertx, fast());
    boolean[] seen = new boolean[h.config.shards()];
    for (int i = 0; seenCount(seen) < seen.length; i++) {
      ThreadKey key = new ThreadKey("u", "t" + i);
      int shard = Shards.shardOf(key, h.config.shards());
      if (!seen[shard]) {
        seen[shard] = true;
        assertEquals(0, h.history(key, 0, 10).head());
      }
    }
  }

  private static int seenCount(boolean[] seen) {
    int n = 0;
    for (boolean b : seen) {
      n += b ? 1 : 0;
    }
    return n;
  }
}
