package dev.chatrelay.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.reply.ReplyCheck;
import dev.chatrelay.worker.WorkerConfig.EngineKind;
import dev.chatrelay.worker.engine.ChatTurn;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker running a non-repeatable engine (a model): it reads the thread's journal for the
 * conversation, and a reply that must start over carries a restart frame, so the chunks after
 * the last restart always concatenate to the message.
 */
@ExtendWith(VertxExtension.class)
class ModelReplyTest {

  private static final Duration DEADLINE = Duration.ofSeconds(15); // a bound on a busy 2-core box, not an expectation
  private static final int SHARDS = 4;
  private static final ThreadKey KEY = new ThreadKey("alice", "thread-1");

  @Test
  void theModelGetsTheConversationWithoutFailedOrCancelledReplies(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    History h = new History();
    h.user("u1", "my name is Zed").reply("u1", "hello ", "Zed").user("u2", "/boom")
        .frame("u2:1", FrameKind.ERROR, "u2", new JsonObject().put("code", "engine_error"))
        .user("u3", "stop").frame("u3:2", FrameKind.MESSAGE, "u3",
            new JsonObject().put("text", "half").put("cancelled", true))
        .user("j1", "what is my name?").user("later", "not yet");
    relay.history = h.frames;
    ManualEngine engine = new ManualEngine(false);
    deploy(vertx, engine);
    dispatch(vertx, job("j1", "what is my name?", 1, 0, false));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    assertEquals(List.of(ChatTurn.user("my name is Zed"), ChatTurn.assistant("hello Zed"),
        ChatTurn.user("/boom"), ChatTurn.user("stop"), ChatTurn.user("what is my name?")),
        engine.run(0).request.conversation());
  }

  @Test
  void aLongThreadIsReadPageByPage(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    History h = new History();
    for (int i = 0; i < 300; i++) {
      h.user("q" + i, "question " + i).reply("q" + i, "answer " + i); // 6 frames each
    }
    relay.history = h.user("j1", "last?").frames;
    ManualEngine engine = new ManualEngine(false);
    deploy(vertx, engine);
    dispatch(vertx, job("j1", "last?", 1, 0, false));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    assertEquals(List.of(0L, 500L, 1000L, 1500L),
        relay.historyQueries.stream().map(q -> q.after()).toList(), "1801 frames, 500 a page");
    List<ChatTurn> turns = engine.run(0).request.conversation();
    // the newest 40 turns (the default budget) would open with "answer 280": it is left out
    assertEquals(39, turns.size());
    assertEquals(ChatTurn.user("question 281"), turns.get(0));
    assertEquals(ChatTurn.assistant("answer 299"), turns.get(37));
    assertEquals(ChatTurn.user("last?"), turns.get(38));
  }

  @Test
  void anEngineRestartVoidsTheChunksSoFar(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.history = new History().user("j1", "q").frames;
    ManualEngine engine = new ManualEngine(false);
    WorkerVerticle worker = deploy(vertx, engine);
    dispatch(vertx, job("j1", "q", 1, 0, false));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    ManualEngine.Run run = engine.run(0);
    run.restart(); // nothing streamed yet: no restart frame
    run.delta("first ");
    run.delta("wording");
    run.restart();
    run.delta("second");
    run.complete();
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of("typing", "chunk", "chunk", "restart", "chunk", "message", "typing"),
        kinds(frames));
    assertEquals(new JsonObject().put("attempt", 2), frames.get(3).data());
    assertEquals(new JsonObject().put("text", "second").put("index", 0), frames.get(4).data());
    assertCoherent(frames, "second");
    MeterRegistry meters = worker.metrics().registry();
    assertEquals(1.0, meters.get("worker.engine.restarts").counter().count());
    assertEquals(1.0, meters.get("worker.engine.replies").tag("outcome", "completed").counter()
        .count());
  }

  @Test
  void aRetriedAttemptStartsOverAfterTheJournaledChunks(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.history = new History().user("j1", "q").partial("j1", "Reply#1 ", "is").frames;
    ManualEngine engine = new ManualEngine(false);
    deploy(vertx, engine);
    dispatch(vertx, job("j1", "q", 2, 3, false));
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    engine.run(0).delta("Reply#2");
    engine.run(0).complete();
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of(3, 4, 5, 6), frames.stream().map(AppendCommand::index).toList());
    assertEquals(List.of("restart", "chunk", "message", "typing"), kinds(frames));
    List<AppendCommand> whole = new ArrayList<>(relay.history.size());
    whole.addAll(journaled(relay.history, "j1"));
    whole.addAll(frames);
    assertCoherent(whole, "Reply#2");
  }

  @Test
  void afterARelayFailoverTheJournaledFramesAreReplayedVerbatimFirst(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.history = new History().user("j1", "q").partial("j1", "old").frames;
    ManualEngine engine = new ManualEngine(false);
    deploy(vertx, engine);
    dispatch(vertx, job("j1", "q", 3, 0, false)); // a new relay owner knows no index
    await().atMost(DEADLINE).until(() -> engine.runs.size() == 1);
    engine.run(0).delta("new");
    engine.run(0).complete();
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(journaled(relay.history, "j1").stream().map(AppendCommand::data).toList(),
        frames.subList(0, 2).stream().map(AppendCommand::data).toList(), "replayed as journaled");
    assertEquals(List.of("typing", "chunk", "restart", "chunk", "message", "typing"),
        kinds(frames));
    assertCoherent(frames, "new");
  }

  @Test
  void aReplyFoundEndedIsNotGeneratedAgain(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.history = new History().user("j1", "q").reply("j1", "done").frames;
    ManualEngine engine = new ManualEngine(false);
    deploy(vertx, engine);
    dispatch(vertx, job("j1", "q", 2, 0, false));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    assertEquals(0, engine.runs.size());
    assertEquals(List.of("typing", "chunk", "message", "typing"), kinds(relay.frames("j1")));
  }

  @Test
  void aCancelBeforeNewOutputEndsWithTheJournaledText(Vertx vertx) {
    FakeRelay relay = FakeRelay.start(vertx, SHARDS);
    relay.history = new History().user("j1", "q").partial("j1", "so ", "far").frames;
    ManualEngine engine = new ManualEngine(false);
    deploy(vertx, engine);
    dispatch(vertx, job("j1", "q", 2, 3, true));
    await().atMost(DEADLINE).until(() -> relay.finished("j1"));
    List<AppendCommand> frames = relay.frames("j1");
    assertEquals(List.of("message", "typing"), kinds(frames));
    assertEquals(new JsonObject().put("text", "so far").put("cancelled", true),
        frames.get(0).data());
  }

  // ---------------------------------------------------------------- helpers

  /** A whole reply of the shared shape (ReplyCheck: chunks after the last restart make the message) saying {@code message}. */
  static void assertCoherent(List<AppendCommand> frames, String message) {
    ReplyCheck check = new ReplyCheck();
    String finalText = null;
    for (AppendCommand f : frames) {
      assertNull(check.accept(f.kind(), f.data()), "frame " + f.index() + " of " + frames);
      if (f.kind() == FrameKind.MESSAGE) {
        finalText = f.data().getString("text");
      }
    }
    assertTrue(check.done(), "ends with typing off: " + frames);
    assertEquals(message, finalText);
  }

  private static List<String> kinds(List<AppendCommand> frames) {
    return frames.stream().map(f -> f.kind().wire()).toList();
  }

  /** The reply frames of {@code job} in {@code history}, as appends. */
  private static List<AppendCommand> journaled(List<Frame> history, String job) {
    return history.stream().filter(f -> job.equals(f.replyTo()))
        .map(f -> new AppendCommand(KEY, job, 1,
            Integer.parseInt(f.id().substring(job.length() + 1)),
            List.of(new AppendCommand.Part(f.kind(), f.data()))))
        .toList();
  }

  private static WorkerVerticle deploy(Vertx vertx, ManualEngine engine) {
    WorkerConfig config = new WorkerConfig(8, 0, SHARDS, EngineKind.SCRIPTED, null, null, null,
        1_000, null, 10_000, 100, 2_000, 5, 2_000, null);
    WorkerVerticle worker = new WorkerVerticle(config, engine);
    vertx.deployVerticle(worker).await();
    return worker;
  }

  private static JobDispatch job(String job, String text, int attempt, int fromIndex,
      boolean cancelled) {
    return new JobDispatch(KEY, job, job, text, attempt, fromIndex, cancelled);
  }

  private static void dispatch(Vertx vertx, JobDispatch job) {
    vertx.eventBus().request(Addresses.WORKER_JOBS, job.toJson()).await();
  }

  /** A thread's journal, built frame by frame with seqs from 1. */
  private static final class History {
    final List<Frame> frames = new ArrayList<>();

    History frame(String id, FrameKind kind, String replyTo, JsonObject data) {
      frames.add(new Frame(KEY.thread(), "e1", frames.size() + 1, id, kind, 0, replyTo, data));
      return this;
    }

    History user(String id, String text) {
      return frame(id, FrameKind.USER_MESSAGE, null, new JsonObject().put("text", text));
    }

    /** Typing on and chunks of an unfinished reply. */
    History partial(String job, String... chunks) {
      frame(job + ":0", FrameKind.TYPING, job, new JsonObject().put("on", true));
      for (int i = 0; i < chunks.length; i++) {
        frame(job + ":" + (i + 1), FrameKind.CHUNK, job,
            new JsonObject().put("text", chunks[i]).put("index", i));
      }
      return this;
    }

    /** A complete reply. */
    History reply(String job, String... chunks) {
      partial(job, chunks);
      int n = chunks.length;
      frame(job + ":" + (n + 1), FrameKind.MESSAGE, job,
          new JsonObject().put("text", String.join("", chunks)));
      return frame(job + ":" + (n + 2), FrameKind.TYPING, job, new JsonObject().put("on", false));
    }
  }
}
