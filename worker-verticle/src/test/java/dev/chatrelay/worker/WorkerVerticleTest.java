package dev.chatrelay.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.JobCancel;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.reply.ReplyFrame;
import dev.chatrelay.protocol.reply.ReplyShape;
import dev.chatrelay.worker.WorkerConfig.EngineKind;
import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineError;
import dev.chatrelay.worker.engine.ScriptedReply;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WorkerVerticleTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  /** Few shards keep the fake relay small. */
  private static final int SHARDS = 4;
  private static final ThreadKey KEY = new ThreadKey("alice", "thread-1");
  private static final String SHARD = Addresses.shard(Shards.shardOf(KEY, SHARDS));

  // ---------------------------------------------------------------- scripted replies

  @Test
  void scriptedReplyIsJournaledInOrder(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    WorkerVerticle worker = deploy(vertx, config(8, 1), null);

    JobTaken taken = dispatch(vertx, job("j1", "hello world"));
    assertEquals(worker.address(), taken.worker());

    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertReply(frames, "echo: hello world", 8);
    assertTrue(relay.appendAddresses.stream().allMatch(SHARD::equals), "all appends to the shard");
    assertTrue(frames.stream().allMatch(f -> f.attempt() == 1 && f.key().equals(KEY)));
    assertEquals(11, relay.received.size(), "every frame appended once, none repeated");
  }

  @Test
  void zeroDelayReplyIsJournaledAsOneAppend(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    deploy(vertx, config(8, 0), null);

    dispatch(vertx, job("j1", "hello world"));

    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertReply(relay.frames("j1"), "echo: hello world", 8);
    assertEquals(1, relay.appendRequests.get(), "typing on, chunks and ending in one batch");
  }

  @Test
  void shortAndNonBmpTextsGetOneChunkPerCharacter(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    deploy(vertx, config(100, 0), null);
    String grin = "\uD83D\uDE00";
    dispatch(vertx, job("j1", "a" + grin));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertReply(frames, "echo: a" + grin, 8);
    assertEquals(grin, frames.get(8).data().getString("text"), "the emoji is one whole chunk");
  }

  @Test
  void failCommandJournalsAnEngineError(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    deploy(vertx, config(8, 0), null);
    dispatch(vertx, job("j1", "/fail please"));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of(0, 1, 2), indexes(frames));
    assertTyping(frames.get(0), true);
    assertEquals(FrameKind.ERROR, frames.get(1).kind());
    assertEquals(EngineError.ENGINE_ERROR, frames.get(1).data().getString("code"));
    assertTrue(frames.get(1).data().getString("message").length() > 0);
    assertTyping(frames.get(2), false);
  }

  @Test
  void fromIndexSkipsFramesAnEarlierAttemptJournaled(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    deploy(vertx, config(4, 0), null);
    dispatch(vertx, job("fresh", "abcdefgh"));
    dispatch(vertx, new JobDispatch(KEY, "retry", "send-r", "abcdefgh", 2, 3, false));
    await().atMost(DEADLINE).until(() -> relay.finished("fresh") && relay.finished("retry"));

    List<AppendCommand> retry = relay.frames("retry");
    assertEquals(List.of(3, 4, 5, 6), indexes(retry));
    assertTrue(relay.received.stream().filter(c -> c.job().equals("retry"))
        .allMatch(c -> c.index() >= 3 && c.attempt() == 2), "nothing below fromIndex is sent");
    List<AppendCommand> fresh = relay.frames("fresh");
    for (AppendCommand frame : retry) {
      AppendCommand original = fresh.get(frame.index());
      assertEquals(original.kind(), frame.kind());
      assertEquals(original.data(), frame.data(), "index " + frame.index() + " is reproduced");
    }
  }

  /** Nothing of its own to journal, so no append tells the relay: the attempt says done. */
  @Test
  void fromIndexBeyondTheWholeReplyOnlyReportsDone(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    deploy(vertx, config(2, 0), null);
    // 0 typing, 1-2 chunks, 3 message, 4 typing off: all journaled already
    dispatch(vertx, new JobDispatch(KEY, "j1", "send-1", "hi", 2, 5, false));
    await().atMost(DEADLINE).until(() -> relay.doneMessages("j1") == 1);
    assertEquals(List.of(), relay.received);
  }

  /** The relay ends the job when it journals the ending: a done would be a message for nothing. */
  @Test
  void aReplyWhoseEndingItsAppendJournaledSendsNoDone(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    WorkerVerticle worker = deploy(vertx, config(8, 0), engine);
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    engine.run(0).delta("answer");
    engine.run(0).complete();
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    await().atMost(DEADLINE).until(() -> worker.runningJobs().await() == 0);
    flush(vertx, engine.run(0)); // a done would have been sent before the job closed
    assertEquals(0, relay.doneMessages("j1"));
    assertEquals(List.of(FrameKind.TYPING, FrameKind.CHUNK, FrameKind.MESSAGE, FrameKind.TYPING),
        relay.frames("j1").stream().map(AppendCommand::kind).toList());
  }

  @Test
  void cancelledAndFailedRepliesSendNoDoneEither(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    WorkerVerticle worker = deploy(vertx, config(8, 0), engine);
    JobTaken taken = dispatch(vertx, job("c", "q"));
    dispatch(vertx, new JobDispatch(new ThreadKey("bob", "t"), "f", "f", "q", 1, 0, false));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 2);
    vertx.eventBus().send(taken.worker(), new JobCancel(KEY, "c", 1).toJson());
    engine.run(1).fail(EngineError.error("boom"));
    await().atMost(DEADLINE).until(() -> relay.finished("c") && relay.finished("f"));
    await().atMost(DEADLINE).until(() -> worker.runningJobs().await() == 0);
    flush(vertx, engine.run(0));
    assertEquals(0, relay.doneMessages("c") + relay.doneMessages("f"));
  }

  // ---------------------------------------------------------------- cancel

  @Test
  void cancelMidReplyEndsWithTheTextSoFar(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    deploy(vertx, config(8, 0), engine);
    JobTaken taken = dispatch(vertx, job("j1", "question"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    ManualEngine.Run run = engine.run(0);
    assertEquals("question", run.text);
    run.delta("Hel");
    run.delta("lo");
    await().atMost(DEADLINE).until(() -> relay.frames("j1").size() == 3);

    vertx.eventBus().send(taken.worker(), new JobCancel(KEY, "j1", 1).toJson());
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertTrue(run.cancelled, "the engine is stopped");

    run.delta("late"); // output after the cancel is dropped
    flush(vertx, run);
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of(0, 1, 2, 3, 4), indexes(frames));
    assertEquals(FrameKind.MESSAGE, frames.get(3).kind());
    assertEquals(new JsonObject().put("text", "Hello").put("cancelled", true), frames.get(3).data());
    assertTyping(frames.get(4), false);
  }

  @Test
  void sameSendIdOnOtherThreadsRunsSideBySideAndCancelsAlone(Vertx vertx) {
    FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    deploy(vertx, config(8, 0), engine);
    ThreadKey bob = new ThreadKey("bob", KEY.thread());
    ThreadKey aliceOther = new ThreadKey(KEY.sub(), "thread-2");
    dispatch(vertx, job("m", "from alice"));
    dispatch(vertx, new JobDispatch(bob, "m", "m", "from bob", 1, 0, false));
    JobTaken taken = dispatch(vertx, new JobDispatch(aliceOther, "m", "m", "other thread", 1, 0, false));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 3);
    assertEquals(List.of("from alice", "from bob", "other thread"),
        engine.runs.stream().map(r -> r.text).toList());

    vertx.eventBus().send(taken.worker(), new JobCancel(bob, "m", 1).toJson());
    await().atMost(DEADLINE).until(() -> engine.run(1).cancelled);
    assertFalse(engine.run(0).cancelled, "alice's reply goes on");
    assertFalse(engine.run(2).cancelled, "alice's other thread goes on");
  }

  @Test
  void cancelledDispatchEndsAtOnceWithoutStartingTheEngine(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    deploy(vertx, config(8, 0), engine);
    dispatch(vertx, new JobDispatch(KEY, "j1", "send-1", "question", 1, 0, true));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of(0, 1, 2), indexes(frames));
    assertTyping(frames.get(0), true);
    assertEquals(new JsonObject().put("text", "").put("cancelled", true), frames.get(1).data());
    assertTyping(frames.get(2), false);
    assertEquals(0, engine.runs.size());
  }

  @Test
  void cancelledRetryReplaysUpToFromIndexThenEnds(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    deploy(vertx, config(4, 0), null);
    // an earlier attempt journaled typing on and two chunks, then the user cancelled
    dispatch(vertx, new JobDispatch(KEY, "j1", "send-1", "abcdefgh", 2, 3, true));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<String> chunks = ScriptedReply.chunks("echo: abcdefgh", 4);
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of(3, 4), indexes(frames));
    assertEquals(new JsonObject().put("text", chunks.get(0) + chunks.get(1)).put("cancelled", true),
        frames.get(0).data());
    assertTyping(frames.get(1), false);
  }

  @Test
  void cancelAfterTheReplyEndedChangesNothing(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    relay.failWith = c -> null;
    WorkerVerticle worker = deploy(vertx, config(8, 0), engine);
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    engine.run(0).delta("answer");
    engine.run(0).complete();
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    vertx.eventBus().send(worker.address(), new JobCancel(KEY, "j1", 1).toJson());
    flush(vertx, engine.run(0));
    assertEquals(List.of(FrameKind.TYPING, FrameKind.CHUNK, FrameKind.MESSAGE, FrameKind.TYPING),
        relay.frames("j1").stream().map(AppendCommand::kind).toList());
    assertEquals(new JsonObject().put("text", "answer"), relay.frames("j1").get(2).data());
  }

  // ---------------------------------------------------------------- append failures

  @Test
  void fencedAppendStopsTheJobSilently(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.failWith = c -> c.index() == 2 ? BusFailure.FENCED : null;
    ManualEngine engine = new ManualEngine();
    deploy(vertx, config(8, 0), engine);
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    ManualEngine.Run run = engine.run(0);
    run.delta("a");
    run.delta("b");
    await().atMost(DEADLINE).until(() -> run.cancelled);
    run.delta("c");
    run.complete();
    flush(vertx, run);
    assertEquals(List.of(0, 1, 2), indexes(relay.received), "nothing after the fenced append");
    assertEquals(false, relay.finished("j1"));
  }

  @Test
  void nonRetryableAppendFailureStopsTheJob(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.failWith = c -> c.index() == 1 ? BusFailure.OUT_OF_ORDER : null;
    ManualEngine engine = new ManualEngine();
    deploy(vertx, config(8, 0), engine);
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    ManualEngine.Run run = engine.run(0);
    run.delta("a");
    await().atMost(DEADLINE).until(() -> run.cancelled);
    run.complete();
    flush(vertx, run);
    assertEquals(List.of(0, 1), indexes(relay.received));
    assertEquals(false, relay.finished("j1"));
  }

  @Test
  void appendIsRetriedWhileTheShardHasNoConsumer(Vertx vertx) {
    AtomicInteger appendsSent = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().startsWith("relay.shard.")
          && delivery.body() instanceof AppendCommand) {
        appendsSent.incrementAndGet();
      }
      delivery.next();
    });
    deploy(vertx, config(2, 0).withBus(5_000, 5), null);
    dispatch(vertx, job("j1", "hi"));
    await().atMost(DEADLINE).until(() -> appendsSent.get() >= 3); // the first try and two retries
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertReply(relay.frames("j1"), "echo: hi", 2);
  }

  /** A relay whose journal (Redis) is briefly unreachable: the append waits it out. */
  @Test
  void appendIsRetriedWhileTheJournalIsUnavailable(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    AtomicInteger refusals = new AtomicInteger(3);
    relay.failWith = c -> refusals.getAndDecrement() > 0 ? BusFailure.UNAVAILABLE : null;
    deploy(vertx, config(2, 0).withBus(5_000, 5), null);
    dispatch(vertx, job("j1", "hi"));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertReply(relay.frames("j1"), "echo: hi", 2);
  }

  /** Redis paused longer than the bus timeout: 504s go on, within the lease the append waits. */
  @Test
  void aJournalAwayLongerThanTheBusTimeoutIsWaitedOutWithinTheLease(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    AtomicInteger refusals = new AtomicInteger(20); // 20 x 5 ms retry pause: past the 50 ms
    relay.failWith = c -> refusals.getAndDecrement() > 0 ? BusFailure.UNAVAILABLE : null;
    deploy(vertx, config(2, 0).withBus(50, 5).withJobs(10_000, 1_000), null);
    dispatch(vertx, job("j1", "hi"));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertReply(relay.frames("j1"), "echo: hi", 2);
    assertTrue(refusals.get() < 0, "every refusal was retried");
  }

  @Test
  void appendGivesUpAfterTheBusTimeout(Vertx vertx) {
    ManualEngine engine = new ManualEngine();
    deploy(vertx, config(8, 0).withBus(50, 5), engine);
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    await().atMost(DEADLINE).until(() -> engine.run(0).cancelled);
    // the job is gone from this worker: the same dispatch starts it afresh
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 2);
  }

  // ---------------------------------------------------------------- lease, limits, lifecycle

  @Test
  void aliveProgressIsSentWhileTheEngineIsSlow(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    WorkerVerticle worker = deploy(vertx, config(8, 0).withJobs(30, 10), engine); // alive every 10 ms
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> relay.alive("j1") >= 3);
    assertTrue(relay.progress.stream().allMatch(p -> p.key().equals(KEY) && p.attempt() == 1));
    engine.run(0).complete();
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    await().atMost(DEADLINE).until(() -> worker.runningJobs().await() == 0);
    flush(vertx, engine.run(0));
    long aliveAtDone = relay.alive("j1");
    // the periodic timer is cancelled: let several intervals pass on the worker's context
    Promise<Void> later = Promise.promise();
    vertx.setTimer(50, id -> later.complete());
    later.future().await();
    flush(vertx, engine.run(0));
    assertEquals(aliveAtDone, relay.alive("j1"));
    assertEquals(0, relay.doneMessages("j1"), "its append journaled the ending: no done");
  }

  @Test
  void dispatchBeyondTheConcurrencyLimitFailsWith503(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    WorkerVerticle worker = deploy(vertx, config(8, 0).withJobs(10_000, 1), engine);
    dispatch(vertx, job("a", "q"));
    ReplyException refused = assertInstanceOf(ReplyException.class,
        assertThrows(Exception.class, () -> dispatch(vertx, job("b", "q"))));
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, refused.failureType());
    assertEquals(503, refused.failureCode());

    dispatch(vertx, job("a", "q")); // the same job and attempt again is just taken
    assertEquals(1, engine.runs.size());

    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    engine.run(0).complete();
    await().atMost(DEADLINE).until(() -> relay.finished("a"));
    await().atMost(DEADLINE).until(() -> worker.runningJobs().await() == 0);
    dispatch(vertx, job("b", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 2);
  }

  @Test
  void invalidDispatchFailsWith400(Vertx vertx) {
    deploy(vertx, config(8, 0), new ManualEngine());
    ReplyException refused = assertInstanceOf(ReplyException.class, assertThrows(Exception.class,
        () -> vertx.eventBus().request(Addresses.WORKER_JOBS, new JsonObject().put("job", "x")).await()));
    assertEquals(BusFailure.BAD_REQUEST, refused.failureCode());
  }

  @Test
  void stopAbandonsRunningJobsWithoutFurtherFrames(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    ManualEngine engine = new ManualEngine();
    WorkerVerticle worker = new WorkerVerticle(config(8, 0), engine);
    String deployment = vertx.deployVerticle(worker).await();
    dispatch(vertx, job("j1", "q"));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    ManualEngine.Run run = engine.run(0);
    run.delta("partial");
    await().atMost(DEADLINE).until(() -> relay.frames("j1").size() == 2);

    vertx.undeploy(deployment).await();
    assertTrue(run.cancelled, "stop cancels the engine");
    run.complete();
    flush(vertx, run);
    assertEquals(List.of(0, 1), indexes(relay.received));
    assertEquals(false, relay.finished("j1"));
    ReplyException noWorker = assertInstanceOf(ReplyException.class,
        assertThrows(Exception.class, () -> dispatch(vertx, job("j2", "q"))));
    assertEquals(ReplyFailure.NO_HANDLERS, noWorker.failureType());
  }

  @Test
  void openAiEngineFromConfigStreamsThroughTheWorker(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    dev.chatrelay.worker.engine.FakeSseServer server =
        dev.chatrelay.worker.engine.FakeSseServer.start(vertx);
    server.behaviour = server.stream(dev.chatrelay.worker.engine.FakeSseServer.cut(
        dev.chatrelay.worker.engine.FakeSseServer.contentEvent("Hi ")
            + dev.chatrelay.worker.engine.FakeSseServer.contentEvent("there")
            + dev.chatrelay.worker.engine.FakeSseServer.DONE_EVENT, 20), true);
    WorkerConfig config = config(8, 0).withOpenAi(server.baseUrl(), "k", "m", 5_000, null);
    assertEquals(EngineKind.OPENAI, config.engine());
    deploy(vertx, config, null);
    dispatch(vertx, job("j1", "hello"));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertReplyChunks(relay.frames("j1"), List.of("Hi ", "there"));
    server.close();
  }

  // ---------------------------------------------------------------- helpers

  private static WorkerConfig config(int chunks, long delayMs) {
    return new WorkerConfig(chunks, delayMs, SHARDS, EngineKind.SCRIPTED, null, null, null, 1_000,
        null, 10_000, 100, 2_000, 5, 2_000, null);
  }

  /** Deploys a worker; a null engine means "built from the config". */
  private static WorkerVerticle deploy(Vertx vertx, WorkerConfig config, AssistantEngine engine) {
    WorkerVerticle worker = engine == null ? new WorkerVerticle(config) : new WorkerVerticle(config, engine);
    vertx.deployVerticle(worker).await();
    return worker;
  }

  private static JobDispatch job(String job, String text) {
    return new JobDispatch(KEY, job, "send-" + job, text, 1, 0, false);
  }

  private static JobTaken dispatch(Vertx vertx, JobDispatch job) {
    return BusBodies.as(vertx.eventBus().request(Addresses.WORKER_JOBS, job.toJson()).await().body(),
        JobTaken.class, JobTaken::fromJson);
  }

  /** Waits until everything the worker sent from the run's context so far has reached the relay. */
  private static void flush(Vertx vertx, ManualEngine.Run run) {
    Promise<Void> flushed = Promise.promise();
    run.context().runOnContext(v -> vertx.eventBus()
        .request(SHARD, new JsonObject().put("op", FakeRelay.FLUSH))
        .<Void>mapEmpty().onComplete(flushed));
    flushed.future().await();
  }

  private static List<Integer> indexes(List<AppendCommand> frames) {
    return frames.stream().map(AppendCommand::index).toList();
  }

  private static void assertTyping(AppendCommand frame, boolean on) {
    assertEquals(FrameKind.TYPING, frame.kind(), "frame " + frame.index());
    assertEquals(new JsonObject().put("on", on), frame.data());
  }

  /** A complete reply: typing on, {@code chunks} chunks concatenating to it, message, typing off. */
  private static void assertReply(List<AppendCommand> frames, String reply, int chunks) {
    assertEquals(chunks + 3, frames.size(), "frames: " + frames);
    String joined = frames.subList(1, chunks + 1).stream()
        .map(f -> f.data().getString("text")).reduce("", String::concat);
    assertEquals(reply, joined);
    assertReplyChunks(frames, ScriptedReply.chunks(reply, chunks));
  }

  /** Exactly the frames of {@link ReplyShape#completed}, at indexes 0, 1, 2 …. */
  private static void assertReplyChunks(List<AppendCommand> frames, List<String> chunks) {
    List<ReplyFrame> expected = ReplyShape.completed(chunks);
    assertEquals(expected.size(), frames.size(), "frames: " + frames);
    for (int i = 0; i < frames.size(); i++) {
      AppendCommand f = frames.get(i);
      assertEquals(expected.get(i), new ReplyFrame(f.index(), f.kind(), f.data()), "frame " + i);
    }
  }
}
