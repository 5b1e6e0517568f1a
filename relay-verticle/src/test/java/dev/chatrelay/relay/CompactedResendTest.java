package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resends over a compacted journal: a lost delivery goes again with its {@code compacted} runs
 * as the first send carried them; a run sent twice still counts once against the window; a
 * receipt may name a run's {@code to}; the full-window probe sends a last run whole. The journal
 * is {@link CompactedDeliveryTest}'s: seqs 1, 7, 9, 15, 16 kept, runs 2-6, 8-8, 10-14.
 */
@ExtendWith(VertxExtension.class)
class CompactedResendTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long RESEND_MS = 100;

  private static RelayHarness deploy(Vertx vertx, int window) {
    RelayConfig config = RelayConfig.defaults().withFlow(window, 60_000, 2, 64)
        .withSweep(20, 60_000).withRetentionMessages(100)
        .withDeliveryResend(RESEND_MS, 4 * RESEND_MS);
    RelayHarness h = RelayHarness.deploy(vertx, config,
        new InMemoryJournal(2, 100, Clock.SYSTEM, config.shards()));
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    CompactedDeliveryTest.seedTwoTurns(h);
    return h;
  }

  @Test
  void aLostDeliveryIsResentWithItsRunsAsTheFirstSendCarriedThem(Vertx vertx) {
    RelayHarness h = deploy(vertx, 256);
    AtomicReference<Delivery> lost = new AtomicReference<>();
    h.gateway.lose = d -> lost.compareAndSet(null, d);
    assertTrue(h.subscribe(KEY, null, 0L, 1, 1).subscribed());
    await().atMost(WAIT).until(() -> !h.gateway.deliveries(1).isEmpty());
    Delivery first = lost.get();
    Delivery again = h.gateway.deliveries(1).get(0);
    assertEquals(List.of(1L, 6L, 3L, 8L, 5L, 14L), first.runs());
    assertEquals(first, again);
    // Nothing is acked, so a slow box may see further resends: each one repeats the first.
    h.gateway.deliveries(1).forEach(d -> assertEquals(first, d));
    assertEquals(List.of("1", "2-6", "7", "8-8", "9", "10-14", "15", "16"),
        CompactedDeliveryTest.items(h, 1).subList(0, 8));
  }

  @Test
  void aRunSentTwiceCountsOnceAgainstTheWindow(Vertx vertx) {
    RelayHarness h = deploy(vertx, 2);
    AtomicReference<Delivery> lost = new AtomicReference<>();
    h.gateway.lose = d -> lost.compareAndSet(null, d);
    assertTrue(h.subscribe(KEY, null, 0L, 1, 1).subscribed());
    // Window 2: frame 1 and the run 2-6, lost, then sent again (and again: nothing is acked).
    await().atMost(WAIT).until(() -> !h.gateway.deliveries(1).isEmpty());
    assertEquals(List.of(1L, 6L), lost.get().runs());
    assertEquals(List.of("1", "2-6"), CompactedDeliveryTest.items(h, 1).subList(0, 2));
    // Acked 1: the run is the one message still out, so there is room for one more (7), not
    // for 8-8, 9 and 10-14 as there would be if each send of the run had been discounted.
    h.ack(KEY, 1, 1);
    await().atMost(WAIT).until(() -> CompactedDeliveryTest.items(h, 1).contains("7"));
    await().during(Duration.ofMillis(3 * RESEND_MS)).atMost(WAIT)
        .until(() -> !CompactedDeliveryTest.items(h, 1).contains("8-8"));
    // An ack of 7 frees the run and the frame: 8-8 and 9 go.
    h.ack(KEY, 1, 7);
    await().atMost(WAIT).until(() -> CompactedDeliveryTest.items(h, 1).contains("9"));
    assertTrue(CompactedDeliveryTest.items(h, 1).contains("8-8"));
    await().during(Duration.ofMillis(3 * RESEND_MS)).atMost(WAIT)
        .until(() -> !CompactedDeliveryTest.items(h, 1).contains("10-14"));
  }

  @Test
  void aFullWindowEndingInARunIsProbedWithTheWholeRun(Vertx vertx) {
    RelayHarness h = deploy(vertx, 2);
    assertTrue(h.subscribe(KEY, null, 0L, 1, 1).subscribed());
    await().atMost(WAIT).until(() -> !h.gateway.deliveries(1).isEmpty());
    // The gateway holds through the run's to; the client's ack of it was lost.
    h.tell(KEY, new DeliveryReceipt(KEY, RelayHarness.GATEWAY, 1, 1, 6, 0).toJson());
    // (A resend of 1 and 2-6 may come first if the receipt is late: it starts at 1.)
    await().atMost(WAIT).until(() -> h.gateway.deliveries(1).stream()
        .anyMatch(d -> d.firstSeq() == 2));
    Delivery probe = h.gateway.deliveries(1).stream().filter(d -> d.firstSeq() == 2)
        .findFirst().orElseThrow();
    assertEquals(2, probe.firstSeq());
    assertEquals(6, probe.lastSeq());
    assertEquals(List.of(0L, 6L), probe.runs());
    // The probe's receipt repeats the ack: the window opens.
    h.tell(KEY, new DeliveryReceipt(KEY, RelayHarness.GATEWAY, 1, 1, 6, 6).toJson());
    await().atMost(WAIT).until(() -> CompactedDeliveryTest.items(h, 1).contains("8-8"));
    List<String> items = CompactedDeliveryTest.items(h, 1);
    assertEquals(List.of("7", "8-8"), items.subList(items.indexOf("7"), items.indexOf("7") + 2));
  }

  @Test
  void aLossyStreamOverACompactedJournalArrivesWholeAndInOrder(Vertx vertx) {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    RelayConfig config = RelayConfig.defaults().withFlow(3, 60_000, 2, 64)
        .withSweep(20, 60_000).withRetentionMessages(100)
        .withDeliveryResend(RESEND_MS, 2 * RESEND_MS);
    RelayHarness h = RelayHarness.deploy(vertx, config,
        new InMemoryJournal(2, 100, Clock.SYSTEM, config.shards()));
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    CompactedDeliveryTest.seedTurns(h, 6); // 48 seqs: 18 kept frames and 12 runs
    h.gateway.receiptsAndAcks(1, KEY, 0);
    // The first delivery, then a seeded 40 % of the others (at most 15 in all).
    h.gateway.lose = d -> h.gateway.lost.get() == 0
        || (h.gateway.lost.get() < 15 && random.nextInt(100) < 40);
    assertTrue(h.subscribe(KEY, null, 0L, 1, 1).subscribed());
    await().atMost(Duration.ofSeconds(20)).until(() -> h.gateway.shown(1).size() >= 48);
    assertEquals(LongStream.rangeClosed(1, 48).boxed().toList(), h.gateway.shown(1),
        "seed=" + seed);
    Delivery resent = h.gateway.deliveries(1).get(0); // the first one was lost
    assertEquals(1, resent.firstSeq(), "seed=" + seed);
    assertEquals(List.of(1L, 6L), resent.runs(), "the resend carried the run, seed=" + seed);
  }
}
