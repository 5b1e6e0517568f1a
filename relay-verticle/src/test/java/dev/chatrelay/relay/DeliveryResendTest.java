package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A delivery lost between relay and gateway is sent again from the settled cursor; a gateway that
 * holds the frames says so and stops the resends (a slow client costs one resend, no storm); a
 * lost ack is repeated by that receipt; a subscription nothing is confirmed for is closed.
 */
@ExtendWith(VertxExtension.class)
class DeliveryResendTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long RESEND_MS = 100;

  private static RelayConfig config(int window, long slowMs) {
    return RelayConfig.defaults().withFlow(window, slowMs, 1000, 64).withSweep(20, 60_000)
        .withDeliveryResend(RESEND_MS, 4 * RESEND_MS);
  }

  private static RelayHarness deploy(Vertx vertx, RelayConfig config) {
    RelayHarness h = RelayHarness.deploy(vertx, config,
        new InMemoryJournal(config.retentionFrames(), Clock.SYSTEM));
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    return h;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private double resends(RelayHarness h) {
    return h.count("relay.delivery.resends");
  }

  @Test
  void aLostLastFrameIsSentAgainAndThenNothingMore(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 60_000));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.gateway.autoAck(1, KEY);
    AtomicBoolean first = new AtomicBoolean(true);
    h.gateway.lose = d -> first.getAndSet(false); // the only frame of the thread, once

    h.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).equals(List.of(1L)));
    assertEquals(1, h.gateway.lost.get());
    assertEquals(1, resends(h));
    // Acked now: however long one waits, nothing is sent again.
    await().during(Duration.ofMillis(8 * RESEND_MS)).atMost(WAIT)
        .until(() -> h.gateway.seqs(1).size() == 1 && resends(h) == 1);
  }

  @Test
  void everyLostDeliveryOfAStreamIsMadeUpInOrder(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 60_000));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.gateway.receiptsAndAcks(1, KEY, 0);
    h.gateway.lose = d -> d.firstSeq() % 3 == 0 && h.gateway.lost.get() < 5;
    for (int i = 1; i <= 12; i++) {
      h.send(KEY, "m" + i, "text " + i);
    }
    // What the client was shown, through the gateway's next-seq-only cursor, is the stream.
    await().atMost(WAIT).until(() -> h.gateway.shown(1).size() == 12);
    assertEquals(range(1, 12), h.gateway.shown(1));
    assertTrue(h.gateway.lost.get() > 0, "the test lost something");
  }

  @Test
  void aSlowClientWhoseGatewayHoldsTheFramesCostsOneResend(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 60_000));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.gateway.receipts(1, KEY, 0); // never acks: a client busy elsewhere
    for (int i = 1; i <= 3; i++) {
      h.send(KEY, "m" + i, "text " + i);
    }
    await().atMost(WAIT).until(() -> resends(h) >= 1);
    await().during(Duration.ofMillis(10 * RESEND_MS)).atMost(WAIT).until(() -> resends(h) == 1);
    assertTrue(h.gateway.closes().isEmpty(), "a slow client is not closed for it");
  }

  @Test
  void aLostAckIsRepeatedByTheReceiptAndTheWindowOpens(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(2, 60_000));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.gateway.receipts(1, KEY, 0);
    for (int i = 1; i <= 4; i++) {
      h.send(KEY, "m" + i, "text " + i);
    }
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).containsAll(List.of(1L, 2L)));
    assertTrue(h.gateway.seqs(1).stream().allMatch(s -> s <= 2), "the window holds 2");
    h.gateway.clientAcked(1, 2); // the client acked 2, and that ack was lost on the bus
    await().atMost(WAIT).until(() -> h.gateway.seqs(1).containsAll(List.of(3L, 4L)));
  }

  @Test
  void aReceiptCountsOnlyForTheSubscriptionItNames(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 60_000));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.subscribe(KEY, null, 0L, 1, 2); // the same connection again: sid 2 replaces sid 1
    h.gateway.lose = d -> true;
    h.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(() -> resends(h) >= 1);
    h.tell(KEY, new DeliveryReceipt(KEY, RelayHarness.GATEWAY, 1, 1, 1, 0).toJson());
    double before = resends(h);
    await().atMost(WAIT).until(() -> resends(h) > before); // sid 1 says nothing about sid 2
    h.tell(KEY, new DeliveryReceipt(KEY, RelayHarness.GATEWAY, 1, 2, 1, 0).toJson());
    h.flush(KEY);
    double settled = resends(h);
    await().during(Duration.ofMillis(8 * RESEND_MS)).atMost(WAIT)
        .until(() -> resends(h) == settled);
  }

  @Test
  void aLostCloseNoticeIsSentAgainUntilTheGatewayAnswers(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(1, 300));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.gateway.loseNotices.set(2);
    h.send(KEY, "m1", "one");
    h.send(KEY, "m2", "two"); // the window of 1 stays full: a slow consumer
    await().atMost(WAIT).until(() -> h.gateway.closes().size() == 1);
    assertEquals(2, h.gateway.lostNotices.get());
    assertEquals(CloseCode.SLOW_CONSUMER.code(), h.gateway.closes().get(0).code());
    // Answered: not sent again (one resend may cross the answer on a slow box; unanswered,
    // the backed-off resends would bring at least two more in this time).
    await().during(Duration.ofMillis(5 * RESEND_MS)).atMost(WAIT)
        .until(() -> h.gateway.closes().size() <= 2);
  }

  @Test
  void aSubscriptionNothingIsConfirmedForIsClosedAsASlowConsumer(Vertx vertx) {
    RelayHarness h = deploy(vertx, config(256, 600));
    h.subscribe(KEY, null, 0L, 1, 1);
    h.gateway.lose = d -> true; // the gateway is gone or cut off for good
    h.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(() -> !h.gateway.closes().isEmpty());
    CloseConnection close = h.gateway.closes().get(0);
    assertEquals(1, close.conn());
    assertEquals(CloseCode.SLOW_CONSUMER.code(), close.code());
    double sent = resends(h);
    assertTrue(sent >= 2 && sent <= 600 / RESEND_MS, "backed-off resends before: " + sent);
    // Dropped: no more resends.
    await().during(Duration.ofMillis(8 * RESEND_MS)).atMost(WAIT).until(() -> resends(h) == sent);
  }
}
