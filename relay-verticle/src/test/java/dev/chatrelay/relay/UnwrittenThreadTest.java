package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.PendingJobLimits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Threads before their first write: reads store nothing, yet the epoch a client was shown (by
 * a subscribe or a history page) stays its cursor's epoch through the first write; a thread the
 * journal lost after the relay saw frames comes back under a new epoch with a reset.
 */
@ExtendWith(VertxExtension.class)
class UnwrittenThreadTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private final AtomicLong journalNow = new AtomicLong(1_700_000_000_000L);

  private FakeWorker worker;

  private ControllableJournal journal;

  private RelayHarness deploy(Vertx vertx, long journalTtlS) {
    RelayConfig config = RelayConfig.defaults().withSweep(20, 60_000);
    Clock clock = journalNow::get;
    journal = new ControllableJournal(new InMemoryJournal(config.retentionFrames(), clock,
        config.shards(), journalTtlS, PendingJobLimits.DEFAULT), vertx);
    RelayHarness h = RelayHarness.deploy(vertx, config, journal);
    worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    return h;
  }

  /**
   * Commands that wait for the same load of an unwritten thread: the read's answer must not
   * drop the state the send and the subscribe then use (the relay forgets unwritten threads
   * only in its sweep). ClusterChaosIT found a reply that never came.
   */
  @Test
  void commandsRacingAReadOfAnUnwrittenThreadKeepTheirState(Vertx vertx) {
    RelayHarness h = deploy(vertx, 86_400);
    journal.infoDelayMs = 50; // the three commands wait for one load, as with Redis
    for (int i = 0; i < 20; i++) {
      ThreadKey key = new ThreadKey("dave", "race-" + i);
      String address = h.shardAddress(key);
      vertx.eventBus().request(address, new HistoryQuery(key, 0, 10).toJson());
      vertx.eventBus().request(address,
          new SubscribeCommand(key, null, 0L, RelayHarness.GATEWAY, 100 + i, 1).toJson());
      vertx.eventBus().request(address, new SendCommand(key, "m" + i, "hello").toJson());
    }
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 20);
    for (int i = 0; i < 20; i++) {
      long conn = 100 + i;
      // distinct: the fake gateway confirms nothing, so the relay may resend seq 1 (by design)
      await().atMost(WAIT).until(() -> h.gateway.seqs(conn).stream().distinct().toList()
          .equals(List.of(1L)));
    }
  }

  @Test
  void aSubscriptionTakenBeforeTheFirstWriteKeepsItsEpoch(Vertx vertx) {
    RelayHarness h = deploy(vertx, 86_400);
    ThreadKey key = new ThreadKey("alice", "new-thread");
    SubscribeAnswer before = h.subscribe(key, null, 0L, 1, 11);
    assertTrue(before.subscribed());
    assertEquals(0, before.head());

    h.send(key, "m1", "hello");
    await().atMost(WAIT).until(() -> h.gateway.frames(1).size() == 1);
    JsonObject frame = h.gateway.frames(1).get(0);
    assertEquals(before.epoch(), frame.getString("epoch"));
    assertEquals(1, frame.getLong("seq"));

    // Another connection resumes with the cursor (epoch, 0) it took before the first write.
    SubscribeAnswer resumed = h.subscribe(key, before.epoch(), 0L, 2, 21);
    assertTrue(resumed.subscribed(), "reset " + resumed.reason());
    await().atMost(WAIT).until(() -> h.gateway.seqs(2).stream().distinct().toList()
        .equals(List.of(1L)));
    h.flush(key);
    assertTrue(h.gateway.resets().isEmpty(), "resets: " + h.gateway.resets());
  }

  @Test
  void readsOfAnUnknownThreadAnswerOneEpochThatTheFirstWriteKeeps(Vertx vertx) {
    RelayHarness h = deploy(vertx, 86_400);
    ThreadKey key = new ThreadKey("bob", "never-written");
    HistoryPage first = h.history(key, 0, 10);
    assertEquals(0, first.head());
    assertEquals(BusFailure.NOT_FOUND,
        h.failureOf(key, new CancelCommand(key, "nothing").toJson()).failureCode());
    // A refused subscribe (a cursor ahead of head) holds nothing either.
    assertEquals("ahead", h.subscribe(key, first.epoch(), 5L, 1, 11).reason());
    HistoryPage again = h.history(key, 0, 10);
    assertEquals(first.epoch(), again.epoch(), "reloads answer the same provisional epoch");
    assertEquals(0, h.journal.info(key).await().head());

    // The client reloaded (empty) and subscribes with the page's epoch: no reset, and the
    // first write journals under that epoch.
    assertTrue(h.subscribe(key, first.epoch(), 0L, 2, 21).subscribed());
    h.send(key, "m1", "hi");
    await().atMost(WAIT).until(() -> h.gateway.frames(2).size() == 1);
    assertEquals(first.epoch(), h.gateway.frames(2).get(0).getString("epoch"));
    assertEquals(first.epoch(), h.journal.info(key).await().epoch());
  }

  @Test
  void aThreadTheJournalForgotWhileTheRelayHeldItComesBackUnderANewEpoch(Vertx vertx) {
    RelayHarness h = deploy(vertx, 1);
    ThreadKey key = new ThreadKey("carol", "t1");
    SubscribeAnswer live = h.subscribe(key, null, 0L, 1, 11);
    h.send(key, "m1", "first");
    await().atMost(WAIT).until(() -> h.gateway.frames(1).size() == 1);
    String old = h.gateway.frames(1).get(0).getString("epoch");
    assertEquals(live.epoch(), old);

    journalNow.addAndGet(2_001); // the journal forgets the thread (TTL 1 s)
    h.send(key, "m2", "second");
    await().atMost(WAIT).until(() -> !h.gateway.resets().isEmpty());
    SubscriptionReset reset = h.gateway.resets().get(0);
    assertEquals("epoch", reset.reason());
    assertNotEquals(old, reset.epoch(), "a lost thread must never get its old epoch back");
    assertEquals(reset.epoch(), h.journal.info(key).await().epoch());
  }
}
