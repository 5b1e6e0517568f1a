package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.reply.ReplyCheck;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reply's job ends when its last frame is journaled: a lost done, or a lost answer to the
 * dispatch, never holds the thread's next reply for the lease (a minute here).
 */
@ExtendWith(VertxExtension.class)
class JobEndingTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  /** Far below the lease: only the journaled ending can start the next reply this soon. */
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static RelayHarness deploy(Vertx vertx) {
    RelayConfig config = RelayConfig.defaults().withJobs(60_000, 30_000, 10, 4)
        .withSweep(20, 60_000);
    return RelayHarness.deploy(vertx, config,
        new InMemoryJournal(config.retentionFrames(), Clock.SYSTEM));
  }

  private static boolean ended(RelayHarness h, String id) {
    return h.journal.read(KEY, 0, 1000).await().stream().anyMatch(f -> id.equals(f.replyTo())
        && f.kind() == FrameKind.TYPING && !f.data().getBoolean("on", true));
  }

  /** Both replies whole, in order, the second after the first, each frame once. */
  private static void assertTwoWholeReplies(RelayHarness h) {
    List<String> ids = h.journal.read(KEY, 0, 1000).await().stream().map(Frame::id).toList();
    assertEquals(12, ids.size(), ids.toString());
    assertEquals(List.of("m1:0", "m1:1", "m1:2", "m1:3", "m1:4", "m2:0", "m2:1", "m2:2", "m2:3",
        "m2:4"), ids.stream().filter(id -> id.contains(":")).toList());
    assertEquals(List.of("m1", "m2"), ids.stream().filter(id -> !id.contains(":")).toList());
    assertWellShaped(h, "m1");
    assertWellShaped(h, "m2");
  }

  /** The journaled frames of the reply to {@code sendId} have a reply's shape. */
  private static void assertWellShaped(RelayHarness h, String sendId) {
    List<JsonObject> reply = h.journal.read(KEY, 0, 1000).await().stream()
        .filter(f -> sendId.equals(f.replyTo())).map(Frame::toJson).toList();
    assertEquals(List.of(), ReplyCheck.violations(reply), reply.toString());
  }

  @Test
  void aLostDoneDoesNotHoldTheNextReply(Vertx vertx) {
    RelayHarness h = deploy(vertx);
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.RUN_DONE_LOST;
    h.send(KEY, "m1", "one");
    h.send(KEY, "m2", "two");
    await().atMost(WAIT).until(() -> ended(h, "m1") && ended(h, "m2"));
    assertEquals(2, worker.dispatches.size(), "one attempt each");
    assertTwoWholeReplies(h);
    int shard = Shards.shardOf(KEY, h.config.shards());
    await().atMost(WAIT).until(() -> h.journal.pendingJobs(shard).await().isEmpty());
  }

  @Test
  void aCancelOfAnAttemptWhoseAnswerWasLostIsWrittenByTheNextAttempt(Vertx vertx) {
    RelayConfig config = RelayConfig.defaults().withJobs(60_000, 300, 10, 4).withSweep(20, 60_000);
    RelayHarness h = RelayHarness.deploy(vertx, config,
        new InMemoryJournal(config.retentionFrames(), Clock.SYSTEM));
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.STALL_ANSWER_LOST : FakeWorker.Mode.RUN;
    h.send(KEY, "m1", "one");
    await().atMost(WAIT).until(() -> h.journal.read(KEY, 0, 10).await().size() == 2); // typing on
    h.cancel(KEY, "m1");
    await().atMost(WAIT).until(() -> ended(h, "m1"));
    assertEquals(2, worker.dispatches.size());
    assertEquals(true, worker.dispatches.get(1).cancelled());
    assertEquals(1, worker.dispatches.get(1).fromIndex());
    List<Frame> reply = h.journal.read(KEY, 0, 10).await().subList(1, 4);
    assertEquals(List.of("m1:0", "m1:1", "m1:2"), reply.stream().map(Frame::id).toList());
    assertEquals(true, reply.get(1).data().getBoolean("cancelled"));
    assertWellShaped(h, "m1");
  }

  @Test
  void aLostDispatchAnswerDoesNotHoldTheReplyNorStartASecondAttempt(Vertx vertx) {
    RelayHarness h = deploy(vertx);
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.RUN_ANSWER_LOST;
    h.send(KEY, "m1", "one");
    h.send(KEY, "m2", "two");
    await().atMost(WAIT).until(() -> ended(h, "m1") && ended(h, "m2"));
    assertEquals(2, worker.dispatches.size(), "its appends took each job: no re-dispatch");
    assertTwoWholeReplies(h);
  }
}
