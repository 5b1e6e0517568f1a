package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertFields;
import static dev.chatrelay.it.Conversations.assertAlive;
import static dev.chatrelay.it.Conversations.awaitHead;
import static dev.chatrelay.it.Conversations.framesPerReply;
import static dev.chatrelay.it.Conversations.send;
import static dev.chatrelay.it.Conversations.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Conversations.Exchange;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A conversation end to end: frames, their order and shape, history, idempotency, isolation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationIT {

  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  @Test
  void fullConversationMatchesTheContractAndTheHistory() {
    String token = system.token("conv-alice");
    try (WsTestClient client = system.connect()) {
      JsonObject welcome = client.hello(token);
      assertFalse(welcome.getString("session").isEmpty(), welcome.encode());
      assertEquals(25_000, welcome.getLong("heartbeat"), "default heartbeat");
      assertEquals(Tokens.payload(token).getLong("exp"), welcome.getLong("exp"));

      JsonObject subscribed = subscribe(client, "chat", 0);
      assertEquals(0, subscribed.getLong("head"), "a thread never written has head 0");

      long before = System.currentTimeMillis();
      Exchange exchange = send(client, "chat", "m1", "hello world");
      long after = System.currentTimeMillis();
      assertFields(new JsonObject().put("type", "accepted").put("id", "m1")
          .put("thread", "chat").put("seq", 1), exchange.accepted());
      assertTrue(exchange.others().isEmpty(), "nothing else: " + exchange.others());
      List<JsonObject> frames = exchange.frames();
      Replies.assertReply(frames, "chat", "m1", "hello world", Replies.chunks("hello world", 8));
      Replies.assertContiguous(frames, 1);
      for (JsonObject f : frames) {
        assertEquals(subscribed.getString("epoch"), f.getString("epoch"));
        assertTrue(f.getLong("ts") >= before - 1000 && f.getLong("ts") <= after + 1000,
            "ts is the journaling time: " + f.encode());
      }

      JsonObject history = system.api().page(token, "chat", null, null);
      assertEquals("chat", history.getString("thread"));
      assertEquals(subscribed.getString("epoch"), history.getString("epoch"));
      assertEquals(frames.size(), history.getLong("head"));
      assertEquals(frames, HistoryApi.framesOf(history),
          "history frames are exactly the socket frames");
      assertTrue(client.protocolErrors().isEmpty(), client.protocolErrors().toString());
    }
  }

  @Test
  void consecutiveSendsGetConsecutiveSeqsAndRepliesInOrder() {
    String token = system.token("conv-order");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      subscribe(client, "order", 0);
      for (String id : List.of("a", "b", "c")) {
        client.send(Commands.send("order", id, "text " + id));
      }
      List<JsonObject> frames = new ArrayList<>();
      Map<String, Long> accepted = new HashMap<>();
      client.until(m -> {
        if ("accepted".equals(m.getString("type"))) {
          accepted.put(m.getString("id"), m.getLong("seq"));
        } else if (Replies.isFrame(m)) {
          frames.add(m);
        }
        return Replies.isEndOf(m, "c") && accepted.size() == 3;
      }, Conversations.REPLY_WAIT);
      Replies.assertContiguous(frames, 1);
      int per = framesPerReply("text a");
      assertEquals(3 * per, frames.size(), "replies of one thread run one at a time: " + frames);
      // User messages are journaled as sends arrive, so they may sit between another reply's
      // frames; each reply is complete and the replies run one at a time in send order.
      for (String id : List.of("a", "b", "c")) {
        Replies.assertReply(Replies.of(frames, id), "order", id, "text " + id, per - 4);
        assertEquals(accepted.get(id), Replies.of(frames, id).get(0).getLong("seq"));
      }
      Replies.assertRepliesInSendOrder(frames, List.of("a", "b", "c"));
      assertTrue(accepted.get("a") < accepted.get("b") && accepted.get("b") < accepted.get("c"));
    }
  }

  @Test
  void subscribeAfterReplaysOnlyLaterFramesAndLiveSubscribeOnlyNewOnes() {
    String token = system.token("conv-replay");
    system.api().postMessage(token, "replay", "p1", "first");
    int per = framesPerReply("first");
    awaitHead(system.api(), token, "replay", per);
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      JsonObject subscribed = subscribe(client, "replay", 5);
      assertEquals(per, subscribed.getLong("head"));
      List<JsonObject> replayed =
          client.until(m -> m.getLong("seq", 0L) == per, Duration.ofSeconds(10));
      Replies.assertContiguous(replayed, 6);
      assertNull(client.poll(Duration.ofMillis(100), true), "nothing past head");
    }
    try (WsTestClient live = system.connect()) {
      live.hello(token);
      JsonObject subscribed = live.send(Commands.subscribeLive("replay")).next("subscribed");
      assertEquals(per, subscribed.getLong("head"));
      Exchange exchange = send(live, "replay", "p2", "second");
      assertEquals(per + 1, exchange.seq());
      Replies.assertContiguous(exchange.frames(), per + 1);
      Replies.assertReply(exchange.frames(), "replay", "p2", "second", per - 4);
    }
  }

  @Test
  void resubscribingReplacesTheCursor() {
    String token = system.token("conv-cursor");
    system.api().postMessage(token, "cursor", "c1", "one");
    int per = framesPerReply("one");
    awaitHead(system.api(), token, "cursor", per);
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      client.send(Commands.subscribe("cursor", 0));
      client.send(Commands.subscribe("cursor", per - 2));
      client.next("subscribed");
      // Frames of the first cursor may come before the second subscribed, none after it.
      client.skipUntil("subscribed", Duration.ofSeconds(10));
      JsonObject a = client.next("frame");
      JsonObject b = client.next("frame");
      assertEquals(per - 1, a.getLong("seq"));
      assertEquals(per, b.getLong("seq"));
      assertNull(client.poll(Duration.ofMillis(100), true), "nothing replayed twice");
    }
  }

  @Test
  void sameIdAnswersTheSameSeqAndStartsNoSecondReply() {
    String token = system.token("conv-idem");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      subscribe(client, "idem", 0);
      Exchange first = send(client, "idem", "dup", "original text");
      client.send(Commands.send("idem", "dup", "another text"));
      JsonObject again = client.next("accepted");
      assertEquals(first.accepted(), again, "same id, same seq");
      // A later send's reply comes after any reply to "dup": none may appear before it.
      Exchange next = send(client, "idem", "after", "next one");
      assertTrue(next.frames().stream().noneMatch(f -> "dup".equals(f.getString("replyTo"))),
          "no second reply: " + next.frames());
      assertEquals(first.frames().get(first.frames().size() - 1).getLong("seq") + 1, next.seq());
    }
    try (WsTestClient other = system.connect()) {
      other.hello(token);
      other.send(Commands.send("idem", "dup", "third text"));
      assertEquals(1, other.next("accepted").getLong("seq"), "idempotent across connections");
    }
    HistoryApi.Response post = system.api().postMessage(token, "idem", "dup", "fourth");
    assertEquals(202, post.status(), post.toString());
    assertEquals(1, post.json().getLong("seq"), "and across the HTTP API");
    List<JsonObject> history = system.api().allFrames(token, "idem");
    Replies.assertReply(Replies.of(history, "dup"), "idem", "dup", "original text",
        Replies.chunks("original text", 8));
    assertEquals(framesPerReply("original text") + framesPerReply("next one"), history.size(),
        "two distinct sends, two replies, the first text kept: " + history);
  }

  @Test
  void threadsBelongToUsers() {
    String alice = system.token("conv-iso-alice");
    String bob = system.token("conv-iso-bob");
    try (WsTestClient a = system.connect(); WsTestClient b = system.connect()) {
      a.hello(alice);
      b.hello(bob);
      subscribe(a, "shared", 0);
      subscribe(b, "shared", 0);
      Exchange fromAlice = send(a, "shared", "same-id", "from alice");
      assertNull(b.poll(Duration.ofMillis(200), true), "bob sees nothing of alice's thread");
      Exchange fromBob = send(b, "shared", "same-id", "from bob");
      assertEquals(1, fromBob.seq(), "bob's thread is his own: same name, same id, new seq");
      Replies.assertReply(fromBob.frames(), "shared", "same-id", "from bob",
          Replies.chunks("from bob", 8));
      assertNull(a.poll(Duration.ofMillis(200), true), "alice sees nothing of bob's thread");
      List<JsonObject> aliceHistory = system.api().allFrames(alice, "shared");
      assertEquals(fromAlice.frames(), aliceHistory);
      assertEquals(fromBob.frames(), system.api().allFrames(bob, "shared"));
    }
  }

  @Test
  void failingEngineYieldsAnErrorFrameInPlaceOfTheReply() {
    String token = system.token("conv-fail");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      subscribe(client, "fail", 0);
      Exchange exchange = send(client, "fail", "f1", "/fail please");
      List<JsonObject> frames = exchange.frames();
      assertEquals(4, frames.size(), frames.toString());
      Replies.assertContiguous(frames, 1);
      assertEquals("user_message", Replies.kind(frames.get(0)));
      assertEquals("/fail please", frames.get(0).getJsonObject("data").getString("text"));
      Replies.assertTyping(frames.get(1), true, "f1");
      JsonObject error = frames.get(2);
      assertEquals("error", Replies.kind(error));
      assertEquals("f1", error.getString("replyTo"));
      assertEquals("engine_error", error.getJsonObject("data").getString("code"));
      assertFalse(error.getJsonObject("data").getString("message").isEmpty());
      Replies.assertTyping(frames.get(3), false, "f1");
      assertAlive(client);
    }
  }

  @Test
  void unsubscribeStopsDeliveryAndAlwaysAnswers() {
    String token = system.token("conv-unsub");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      client.send(Commands.unsubscribe("never"));
      // Also when it was not subscribed.
      assertFields(new JsonObject().put("type", "unsubscribed").put("thread", "never"),
          client.next("unsubscribed"));
      subscribe(client, "unsub", 0);
      client.send(Commands.unsubscribe("unsub"));
      client.next("unsubscribed");
      client.send(Commands.send("unsub", "u1", "quiet"));
      assertEquals(1, client.next("accepted").getLong("seq"));
      awaitHead(system.api(), token, "unsub", framesPerReply("quiet"));
      assertAlive(client);
      assertTrue(client.drainQueued().stream().noneMatch(Replies::isFrame), "no frames delivered");
    }
  }

  @Test
  void acksAboveDeliveredOrForOtherThreadsAreIgnored() {
    String token = system.token("conv-ack");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      client.send(Commands.ack("not-subscribed", 5));
      subscribe(client, "acked", 0);
      client.send(Commands.ack("acked", 999));
      client.send(Commands.ping());
      assertEquals("pong", client.next().getString("type"), "no error, no answer to acks");
    }
  }

  @Test
  void framesOfSeveralThreadsInterleaveButEachStaysInOrder() {
    String token = system.token("conv-multi");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      subscribe(client, "x", 0);
      subscribe(client, "y", 0);
      client.send(Commands.send("x", "x1", "left"));
      client.send(Commands.send("y", "y1", "right"));
      Map<String, List<JsonObject>> byThread = new HashMap<>();
      boolean[] ended = new boolean[2];
      client.until(m -> {
        if (Replies.isFrame(m)) {
          byThread.computeIfAbsent(m.getString("thread"), t -> new ArrayList<>()).add(m);
          ended[0] |= Replies.isEndOf(m, "x1");
          ended[1] |= Replies.isEndOf(m, "y1");
        }
        return ended[0] && ended[1];
      }, Conversations.REPLY_WAIT);
      Replies.assertContiguous(byThread.get("x"), 1);
      Replies.assertContiguous(byThread.get("y"), 1);
      Replies.assertReply(byThread.get("x"), "x", "x1", "left", Replies.chunks("left", 8));
      Replies.assertReply(byThread.get("y"), "y", "y1", "right", Replies.chunks("right", 8));
    }
  }
}
