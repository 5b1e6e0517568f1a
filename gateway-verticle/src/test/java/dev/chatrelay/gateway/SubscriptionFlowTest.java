package dev.chatrelay.gateway;

import static dev.chatrelay.gateway.GatewayHarness.hello;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Subscriptions against a fake relay: answer order, sids, cursors, resets, closes, acks. */
@ExtendWith(VertxExtension.class)
class SubscriptionFlowTest {

  private GatewayHarness gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of());
  }

  @AfterEach
  void close() {
    gw.close();
  }

  private static JsonObject subscribe(String thread, Long after) {
    JsonObject s = new JsonObject().put("type", "subscribe").put("thread", thread);
    return after == null ? s : s.put("after", after);
  }

  private static JsonObject ack(String thread, long seq) {
    return new JsonObject().put("type", "ack").put("thread", thread).put("seq", seq);
  }

  private SubscribeCommand awaitSubscribe(String thread, int count) {
    await().atMost(WsClient.WAIT).until(() -> gw.relay.subscribes().stream()
        .filter(s -> s.key().thread().equals(thread)).count() >= count);
    return gw.relay.lastSubscribe(thread);
  }

  private static void expectFrames(WsClient c, String thread, long first, long last) {
    for (long seq = first; seq <= last; seq++) {
      JsonObject frame = c.next("frame");
      assertEquals(thread, frame.getString("thread"));
      assertEquals(seq, frame.getLong("seq"));
    }
  }

  @Test
  void subscribeAnswersSubscribedThenFramesOfTheUsersThread() {
    gw.relay.onSubscribe = cmd -> io.vertx.core.Future.succeededFuture(new SubscribeAnswer(true, "e1", 3, null));
    WsClient c = gw.open("alice");
    c.send(subscribe("t1", 0L));
    JsonObject subscribed = c.next("subscribed");
    assertEquals(new JsonObject().put("type", "subscribed").put("thread", "t1").put("epoch", "e1").put("head", 3), subscribed);
    SubscribeCommand cmd = gw.relay.lastSubscribe("t1");
    assertEquals("alice", cmd.key().sub());
    assertEquals(0L, cmd.after());
    assertEquals(gw.instances.get(0).gatewayId(), cmd.gateway());
    gw.relay.deliver(cmd, 1, 3);
    expectFrames(c, "t1", 1, 3);
  }

  @Test
  void resumeAnswersInEntryOrderAndHoldsFramesUntilTheirThreadIsAnswered() {
    Map<String, Promise<SubscribeAnswer>> pending = new ConcurrentHashMap<>();
    gw.relay.onSubscribe = cmd -> pending.computeIfAbsent(cmd.key().thread(), t -> Promise.promise()).future();
    WsClient c = gw.connect();
    JsonArray resume = new JsonArray()
        .add(new JsonObject().put("thread", "a").put("epoch", "e1").put("after", 0))
        .add(new JsonObject().put("thread", "bad thread").put("after", 0))
        .add(new JsonObject().put("thread", "b").put("epoch", "old").put("after", 5))
        .add(new JsonObject().put("thread", "c").put("after", 2));
    c.send(hello(gw.token("alice"), resume));
    c.next("welcome");
    SubscribeCommand a = awaitSubscribe("a", 1);
    SubscribeCommand cc = awaitSubscribe("c", 1);
    awaitSubscribe("b", 1);
    assertEquals(3, gw.relay.subscribes().size(), "all entries asked at once, the malformed one not at all");
    // Frames of c come before any answer; then the relay answers c, b, a: the reverse order.
    gw.relay.deliver(cc, 3, 4);
    await().until(() -> pending.size() == 3);
    pending.get("c").complete(new SubscribeAnswer(true, "e1", 4, null));
    pending.get("b").complete(new SubscribeAnswer(false, "e1", 9, "epoch"));
    gw.relay.deliver(a, 1, 1);
    pending.get("a").complete(new SubscribeAnswer(true, "e1", 1, null));

    assertEquals("a", c.next("subscribed").getString("thread"));
    JsonObject error = c.next("error");
    assertEquals("bad_request", error.getString("code"));
    assertEquals("bad thread", error.getString("ref"));
    JsonObject reset = c.next("reset");
    assertEquals(new JsonObject().put("type", "reset").put("thread", "b").put("epoch", "e1").put("head", 9)
        .put("reason", "epoch"), reset);
    assertEquals("c", c.next("subscribed").getString("thread"));
    // Only after the last answer: the held frames, per thread in seq order.
    List<JsonObject> frames = List.of(c.next("frame"), c.next("frame"), c.next("frame"));
    assertEquals(List.of(1L), seqsOf(frames, "a"));
    assertEquals(List.of(3L, 4L), seqsOf(frames, "c"));
    c.expectQuiet();
  }

  private static List<Long> seqsOf(List<JsonObject> frames, String thread) {
    return frames.stream().filter(f -> thread.equals(f.getString("thread"))).map(f -> f.getLong("seq")).toList();
  }

  @Test
  void liveOnlySubscribeStartsAtHeadAndHoldsEarlyFrames() {
    Promise<SubscribeAnswer> answer = Promise.promise();
    gw.relay.onSubscribe = cmd -> answer.future();
    WsClient c = gw.open("alice");
    c.send(subscribe("t", null));
    SubscribeCommand cmd = awaitSubscribe("t", 1);
    assertNull(cmd.after());
    gw.relay.deliver(cmd, 6, 7);
    c.expectQuiet(); // held: no frame before subscribed
    answer.complete(new SubscribeAnswer(true, "e1", 5, null));
    assertEquals(5, c.next("subscribed").getLong("head"));
    expectFrames(c, "t", 6, 7);
    gw.relay.deliver(cmd, 5, 5);
    c.expectQuiet();
  }

  @Test
  void afterZeroOnATrimmedThreadStartsAtTheCursorTheRelayNames() {
    // Frames 1..4 were trimmed: the relay starts after 4 and says so.
    gw.relay.onSubscribe = cmd -> io.vertx.core.Future.succeededFuture(new SubscribeAnswer(true, "e1", 9, null, 4L));
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand cmd = gw.relay.lastSubscribe("t");
    gw.relay.deliver(cmd, 5, 9);
    expectFrames(c, "t", 5, 9);
    assertEquals(1, gw.relay.subscribes().size(), "the oldest retained frame is no gap");
  }

  @Test
  void framesOfAReplacedSubscriptionAreDropped() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand first = gw.relay.lastSubscribe("t");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand second = gw.relay.lastSubscribe("t");
    assertNotEquals(first.sid(), second.sid());
    gw.relay.deliver(first, 1, 2);
    c.expectQuiet();
    gw.relay.deliver(second, 1, 2);
    expectFrames(c, "t", 1, 2);
  }

  @Test
  void duplicatesAreSkippedAndAGapResubscribesFromTheLastDeliveredSeq() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand cmd = gw.relay.lastSubscribe("t");
    gw.relay.deliver(cmd, 1, 3);
    expectFrames(c, "t", 1, 3);
    gw.relay.deliver(cmd, 2, 4);
    expectFrames(c, "t", 4, 4);
    double gapsBefore = gw.runtime.metrics().registry().counter("relay.gateway.gaps").count();
    gw.relay.deliver(cmd, 7, 8);
    SubscribeCommand again = awaitSubscribe("t", 2);
    assertEquals(4L, again.after());
    assertEquals("e1", again.epoch());
    assertNotEquals(cmd.sid(), again.sid());
    assertEquals(gapsBefore + 1, gw.runtime.metrics().registry().counter("relay.gateway.gaps").count());
    c.expectQuiet(); // no second 'subscribed' for the internal re-subscribe, no frame 7
    gw.relay.deliver(cmd, 5, 5); // the old sid is stale now
    gw.relay.deliver(again, 5, 8);
    expectFrames(c, "t", 5, 8);
  }

  @Test
  void aResetFromTheRelayIsForwardedAndTheThreadForgotten() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand cmd = gw.relay.lastSubscribe("t");
    gw.relay.reset(cmd, 40, "retention");
    assertEquals(new JsonObject().put("type", "reset").put("thread", "t").put("epoch", "e2").put("head", 40)
        .put("reason", "retention"), c.next("reset"));
    gw.relay.deliver(cmd, 1, 1);
    c.send(ack("t", 1));
    c.expectQuiet();
    assertEquals(0, gw.relay.commands(AckCommand.TAG, AckCommand::fromJson).size());
  }

  @Test
  void aResetAnswerToSubscribeIsForwarded() {
    gw.relay.onSubscribe = cmd -> io.vertx.core.Future.succeededFuture(new SubscribeAnswer(false, "e7", 3, "ahead"));
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 10L));
    JsonObject reset = c.next("reset");
    assertEquals("ahead", reset.getString("reason"));
    assertEquals("e7", reset.getString("epoch"));
  }

  @Test
  void closeConnectionFromTheRelayClosesWithItsCodeAndUnsubscribes() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    gw.relay.close(gw.relay.lastSubscribe("t"), 4008, "slow consumer");
    assertEquals(4008, c.awaitClose());
    await().atMost(WsClient.WAIT).until(() -> !gw.relay.commands(UnsubscribeCommand.TAG, UnsubscribeCommand::fromJson).isEmpty());
  }

  @Test
  void unsubscribeAnswersAtOnceSubscribedOrNot() {
    WsClient c = gw.open("alice");
    c.send(new JsonObject().put("type", "unsubscribe").put("thread", "never"));
    assertEquals("never", c.next("unsubscribed").getString("thread"));
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    c.send(new JsonObject().put("type", "unsubscribe").put("thread", "t"));
    c.next("unsubscribed");
    await().atMost(WsClient.WAIT).until(() -> gw.relay.commands(UnsubscribeCommand.TAG, UnsubscribeCommand::fromJson)
        .stream().anyMatch(u -> u.key().thread().equals("t") && u.key().sub().equals("alice")));
    gw.relay.deliver(gw.relay.lastSubscribe("t"), 1, 1);
    c.expectQuiet();
  }

  @Test
  void compactedRunsPassInSeqOrderCountAsDeliveredAndMayBeAcked() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand cmd = gw.relay.lastSubscribe("t");
    gw.relay.deliverItems(cmd, 1, 1L, new long[] {2, 6}, 7L);
    expectFrames(c, "t", 1, 1);
    assertEquals(new JsonObject().put("type", "compacted").put("thread", "t").put("epoch", "e1")
        .put("from", 2L).put("to", 6L), c.next("compacted"));
    expectFrames(c, "t", 7, 7);
    // A replay overlapping what was delivered: the old part is dropped, the run told from 8 on.
    gw.relay.deliverItems(cmd, 5, new long[] {5, 9}, 10L);
    assertEquals(new JsonObject().put("type", "compacted").put("thread", "t").put("epoch", "e1")
        .put("from", 8L).put("to", 9L), c.next("compacted"));
    expectFrames(c, "t", 10, 10);
    c.send(ack("t", 6)); // a run's last seq
    await().atMost(WsClient.WAIT)
        .until(() -> gw.relay.commands(AckCommand.TAG, AckCommand::fromJson).size() >= 1);
    assertEquals(6L, gw.relay.commands(AckCommand.TAG, AckCommand::fromJson).get(0).seq());
    // A run that starts beyond the next seq is a gap: re-subscribe from the cursor.
    gw.relay.deliverItems(cmd, 12, new long[] {12, 14});
    assertEquals(10L, awaitSubscribe("t", 2).after());
  }

  @Test
  void aResendOfRunsAlreadyDeliveredIsDroppedAndConfirmedUpToTheRunsTo() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    SubscribeCommand cmd = gw.relay.lastSubscribe("t");
    gw.relay.deliverItems(cmd, 1, 1L, new long[] {2, 6});
    expectFrames(c, "t", 1, 1);
    c.next("compacted");
    c.send(ack("t", 1));
    await().atMost(WsClient.WAIT)
        .until(() -> gw.relay.commands(AckCommand.TAG, AckCommand::fromJson).size() >= 1);
    // The relay resends from its settled cursor, as the first send carried it, and one more frame.
    gw.relay.deliverItems(cmd, 2, new long[] {2, 6}, 7L);
    expectFrames(c, "t", 7, 7);
    await().atMost(WsClient.WAIT)
        .until(() -> !gw.relay.commands(DeliveryReceipt.TAG, DeliveryReceipt::fromJson).isEmpty());
    DeliveryReceipt receipt = gw.relay.commands(DeliveryReceipt.TAG, DeliveryReceipt::fromJson)
        .get(0);
    assertEquals(cmd.sid(), receipt.sid());
    assertEquals(7, receipt.received());
    assertEquals(1, receipt.acked());
    // A resend of the run alone (the relay's probe of a full window) is confirmed at its to.
    gw.relay.deliverItems(cmd, 2, new long[] {2, 6});
    await().atMost(WsClient.WAIT)
        .until(() -> gw.relay.commands(DeliveryReceipt.TAG, DeliveryReceipt::fromJson).size() >= 2);
    assertEquals(7, gw.relay.commands(DeliveryReceipt.TAG, DeliveryReceipt::fromJson).get(1)
        .received());
    c.expectQuiet();
  }

  @Test
  void acksArePassedOnOnlyWhenTheyMoveTheCursor() {
    WsClient c = gw.open("alice");
    c.send(subscribe("t", 0L));
    c.next("subscribed");
    gw.relay.deliver(gw.relay.lastSubscribe("t"), 1, 3);
    expectFrames(c, "t", 1, 3);
    c.send(ack("t", 5));        // above what was delivered
    c.send(ack("other", 1));    // not subscribed
    c.send(ack("t", 2));        // passes
    c.send(ack("t", 2));        // no move
    c.send(ack("t", 3));        // passes
    await().atMost(WsClient.WAIT).until(() -> gw.relay.commands(AckCommand.TAG, AckCommand::fromJson).size() >= 2);
    List<AckCommand> acks = gw.relay.commands(AckCommand.TAG, AckCommand::fromJson);
    assertEquals(List.of(2L, 3L), acks.stream().map(AckCommand::seq).toList());
    assertEquals("alice", acks.get(0).key().sub());
  }

  @Test
  void closingTheConnectionUnsubscribesEveryThread() {
    WsClient c = gw.open("alice");
    c.send(subscribe("a", 0L));
    c.next("subscribed");
    c.send(subscribe("b", 0L));
    c.next("subscribed");
    c.close();
    await().atMost(WsClient.WAIT).until(() -> gw.relay.commands(UnsubscribeCommand.TAG, UnsubscribeCommand::fromJson)
        .stream().map(u -> u.key().thread()).sorted().toList().equals(List.of("a", "b")));
  }
}
