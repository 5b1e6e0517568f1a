package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.reply.ReplyFrame;
import dev.chatrelay.protocol.reply.ReplyShape;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.journal.PendingJob;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reply's pending record leaves with the append that journals its ending (one journal write),
 * whether or not the worker says done; an ending the relay writes itself removes it apart; and a
 * relay taking over the shard afterwards resumes only the replies whose ending is not journaled.
 */
@ExtendWith(VertxExtension.class)
class PendingRecordEndingTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final RelayConfig CONFIG = RelayConfig.defaults()
      .withJobs(60_000, 1_000, 10, 3).withSweep(20, 60_000);
  private static final int SHARD = Shards.shardOf(KEY, CONFIG.shards());

  private final InMemoryJournal store = new InMemoryJournal(1000, Clock.SYSTEM, CONFIG.shards());
  /** Calls per journal method name. */
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** {@code journal}, counting its calls. */
  private Journal counting(Journal journal) {
    return (Journal) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Journal.class}, (proxy, method, args) -> {
          calls.computeIfAbsent(method.getName(), n -> new AtomicInteger()).incrementAndGet();
          try {
            return method.invoke(journal, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  private boolean ended(String sendId) {
    return store.read(KEY, 0, 1000).await().stream().anyMatch(f -> sendId.equals(f.replyTo())
        && f.kind() == FrameKind.TYPING && !f.data().getBoolean("on", true));
  }

  private List<PendingJob> pending() {
    return store.pendingJobs(SHARD).await();
  }

  @Test
  void aReplyEndedByItsWorkerLeavesNoRecordWithoutDoneOrASeparateRemoval(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, CONFIG, counting(store));
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.RUN_DONE_LOST; // a worker that sends no done
    h.send(KEY, "m1", "one");
    h.send(KEY, "m2", "two");
    await().atMost(WAIT).until(() -> ended("m1") && ended("m2"));
    assertEquals(2, worker.dispatches.size(), "the first reply ended without a done");
    assertEquals(List.of(), pending());
    assertEquals(2, calls("appendEnding"), "one ending write per reply");
    assertEquals(0, calls("removePendingJob"), "no removal round trip of its own");
  }

  @Test
  void anOldWorkersDoneAfterTheEndingChangesNothing(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, CONFIG, counting(store));
    FakeWorker worker = h.worker("w1"); // RUN: says done after its ending, as workers did
    h.send(KEY, "m1", "one");
    h.send(KEY, "m2", "two");
    await().atMost(WAIT).until(() -> ended("m1") && ended("m2"));
    h.flush(KEY); // the second reply's done is handled too
    assertEquals(List.of("m1", "m2"), worker.dispatches.stream().map(JobDispatch::job).toList());
    assertEquals(List.of(), pending());
    assertEquals(0, calls("removePendingJob"));
    assertEquals(12, store.read(KEY, 0, 1000).await().size(), "two messages, two whole replies");
  }

  @Test
  void anEndingTheRelayWritesItselfRemovesTheRecordApart(Vertx vertx) {
    RelayHarness h = RelayHarness.deploy(vertx, CONFIG, counting(store));
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.BUSY; // no worker can run it: the relay ends it
    h.send(KEY, "m1", "one");
    await().atMost(WAIT).until(() -> ended("m1") && pending().isEmpty());
    assertEquals(3, worker.dispatches.size());
    assertEquals(0, calls("appendEnding"));
    assertEquals(1, calls("removePendingJob"));
  }

  /**
   * A previous owner journaled reply m1 whole (its ending with the record's removal) and the
   * send m2 (with its record), then died: the new owner runs m2 only. Jobs resume in save
   * order, so had m1 been resumed it would have been dispatched before m2.
   */
  @Test
  void aTakeoverAfterTheEndingResumesOnlyTheReplyNotEnded(Vertx vertx) {
    store.claimShard(SHARD).await();
    store.appendSend(KEY, FrameDraft.userMessage("m1", "one"), new PendingJob(KEY, "m1", "one", 1))
        .await();
    List<ReplyFrame> reply = ReplyShape.completed(List.of("a", "b"));
    List<FrameDraft> drafts = reply.stream()
        .map(f -> FrameDraft.reply("m1", f.index(), f.kind(), f.data())).toList();
    store.appendEnding(KEY, drafts, null, "m1").await();
    store.appendSend(KEY, FrameDraft.userMessage("m2", "two"), new PendingJob(KEY, "m2", "two", 1))
        .await();

    RelayHarness h = RelayHarness.deploy(vertx, CONFIG, InMemoryJournal.sharing(store));
    FakeWorker worker = h.worker("w1");
    await().atMost(WAIT).until(() -> ended("m2") && pending().isEmpty());
    assertEquals(List.of("m2"), worker.dispatches.stream().map(JobDispatch::job).toList());
    List<String> ids = store.read(KEY, 0, 100).await().stream().map(Frame::id).toList();
    assertTrue(ids.stream().filter(id -> id.startsWith("m1:")).count() == reply.size(),
        "m1 is not written again: " + ids);
  }
}
