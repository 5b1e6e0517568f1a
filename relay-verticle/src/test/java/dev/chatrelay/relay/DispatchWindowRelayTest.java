package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RELAY_DISPATCH_WINDOW at the relay: sends are accepted at once, but a reply is dispatched
 * only while fewer than the window are starting; the first append of one lets the next thread
 * in line start, in the order the sends came.
 */
class DispatchWindowRelayTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ThreadKey A = new ThreadKey("alice", "a");
  private static final ThreadKey B = new ThreadKey("bob", "b");
  private static final ThreadKey C = new ThreadKey("carol", "c");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aReplyStartsWhenTheOneBeforeItInTheWindowAppendsItsFirstFrame() {
    RelayHarness relay = deploy(1);
    FakeWorker worker = relay.worker("w-1");
    worker.policy = d -> FakeWorker.Mode.STALL; // takes each job and appends nothing by itself
    relay.send(A, "ma", "one");
    relay.send(B, "mb", "two");
    relay.send(C, "mc", "three"); // every send is accepted: only the dispatch waits
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    relay.flush(C);
    assertEquals(1, worker.dispatches.size(), "the window holds one starting reply");

    firstFrame(relay, worker.dispatches.get(0));
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 2);
    firstFrame(relay, worker.dispatches.get(1));
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 3);
    assertEquals(List.of("ma", "mb", "mc"),
        worker.dispatches.stream().map(JobDispatch::job).toList(), "send order across threads");
  }

  @Test
  void repliesOfOneThreadRunInTurnWhileOtherThreadsTakeTheFreedSlots() {
    RelayHarness relay = deploy(1);
    FakeWorker worker = relay.worker("w-1");
    relay.send(A, "m1", "one");
    relay.send(A, "m2", "two");
    relay.send(B, "m3", "three");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 3);
    // m1's first append frees the slot for the thread waiting in line (B); m2 waits for m1's end
    // and then for m3's first append.
    assertEquals(List.of("m1", "m3", "m2"),
        worker.dispatches.stream().map(JobDispatch::job).toList());
  }

  @Test
  void aReplyCancelledWhileWaitingForASlotEndsAtOnceWithoutAWorker() {
    RelayHarness relay = deploy(1);
    FakeWorker worker = relay.worker("w-1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    relay.send(A, "ma", "one");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    relay.send(B, "mb", "two");
    relay.cancel(B, "mb");
    await().atMost(WAIT).until(() -> {
      List<Frame> frames = relay.history(B, 0, 100).frames();
      Frame last = frames.get(frames.size() - 1);
      return last.kind() == FrameKind.TYPING && !last.data().getBoolean("on");
    });
    relay.flush(B);
    assertEquals(List.of("ma"), worker.dispatches.stream().map(JobDispatch::job).toList(),
        "the cancelled reply took no slot and reached no worker");
  }

  private RelayHarness deploy(int window) {
    RelayConfig config = RelayConfig.defaults().withDispatchWindow(window);
    return RelayHarness.deploy(vertx, config,
        new InMemoryJournal(1000, Clock.SYSTEM, config.shards()));
  }

  /** What a worker appends first: typing on. */
  private static void firstFrame(RelayHarness relay, JobDispatch d) {
    relay.append(d.key(), d.job(), d.attempt(), 0, FrameKind.TYPING,
        new JsonObject().put("on", true));
  }
}
