package dev.chatrelay.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PROTOCOL.md "Limits", each answered as written, against the running system with the defaults.
 * Two tests start a system of their own: slow replies for the queued-reply cap, and a low
 * per-user send quota (its default is checked in GatewayConfigTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsIT {

  private static final int MAX_SUBSCRIPTIONS = 256;
  private static final int MAX_CONNECTIONS = 32;
  private static final int MAX_QUEUED_REPLIES = 16;
  private static final int SEND_BURST = 6;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure().set("RELAY_SCRIPTED_DELAY_MS", "0").start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  @Test
  void resumeEntriesBeyond256AnswerLimitExceededEachWithItsThreadInOrder() {
    int entries = MAX_SUBSCRIPTIONS + 20;
    JsonArray resume = new JsonArray();
    for (int i = 0; i < entries; i++) {
      resume.add(Commands.resumeEntry("r" + i, null, 0));
    }
    try (WsTestClient client = system.connect()) {
      client.hello(system.token("lim-resume"), resume);
      for (int i = 0; i < entries; i++) {
        JsonObject answer = client.next();
        if (i < MAX_SUBSCRIPTIONS) {
          assertEquals("subscribed", answer.getString("type"), answer.encode());
        } else {
          assertEquals("error", answer.getString("type"), answer.encode());
          assertEquals("limit_exceeded", answer.getString("code"), answer.encode());
        }
        assertEquals("r" + i, answer.getString(i < MAX_SUBSCRIPTIONS ? "thread" : "ref"), answer.encode());
      }
      // A subscribe beyond: the same answer; one for a thread already subscribed replaces it.
      client.send(Commands.subscribe("one-more", 0));
      Conversations.assertError(client, "limit_exceeded", "one-more");
      Conversations.subscribe(client, "r3", 0);
      // After an unsubscribe there is room again.
      client.send(Commands.unsubscribe("r0"));
      client.next("unsubscribed");
      Conversations.subscribe(client, "one-more", 0);
      Conversations.assertAlive(client);
    }
  }

  @Test
  void the33rdConnectionOfAUserInOneProcessIsClosed4029() {
    // Two gateway instances share the port (TestSystem): the count is per process, not instance.
    List<WsTestClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        open.add(system.connectAs("lim-conns"));
      }
      WsTestClient extra = system.connect();
      extra.send(Commands.hello(system.token("lim-conns")));
      assertEquals(4029, extra.awaitClose());
      WsTestClient other = system.connectAs("lim-conns-other");
      Conversations.assertAlive(other);
      // One closes: the next one is welcome again.
      open.remove(0).close();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        WsTestClient again = system.connect();
        again.send(Commands.hello(system.token("lim-conns")));
        JsonObject first = again.poll(WsTestClient.WAIT, false);
        boolean welcomed = first != null && "welcome".equals(first.getString("type"));
        if (welcomed) {
          open.add(again);
        } else {
          again.close();
        }
        return welcomed;
      });
    } finally {
      open.forEach(WsTestClient::close);
    }
  }

  @Test
  void sendsBeyond16QueuedRepliesOfAThreadAreRateLimitedAndJournalNothing() {
    // Replies long enough (8 × 200 ms) that a burst of sends finds the first still running.
    try (TestSystem system = TestSystem.configure().set("RELAY_SCRIPTED_DELAY_MS", "200").start()) {
      queuedRepliesAreCapped(system);
    }
  }

  private static void queuedRepliesAreCapped(TestSystem system) {
    String sub = "lim-queue";
    List<String> accepted = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int sends = MAX_QUEUED_REPLIES + 4;
    // Over HTTP and WebSocket alike; HTTP here, one request after the other, all within a reply.
    for (int i = 0; i < sends; i++) {
      HistoryApi.Response r = system.api().postMessage(system.token(sub + "-http"), "q", "m" + i, "hi " + i);
      if (r.status() == 202) {
        accepted.add("m" + i);
      } else {
        assertEquals(429, r.status(), r.toString());
        assertEquals("rate_limited", r.json().getString("code"), r.toString());
        refused.add("m" + i);
      }
    }
    assertEquals(MAX_QUEUED_REPLIES, accepted.size(), "accepted " + accepted + " refused " + refused);
    // The WebSocket answer: error rate_limited with ref = the send's id.
    try (WsTestClient client = system.connectAs(sub)) {
      Conversations.subscribe(client, "q", 0);
      for (int i = 0; i < MAX_QUEUED_REPLIES; i++) {
        client.send(Commands.send("q", "w" + i, "hi " + i));
      }
      client.send(Commands.send("q", "w-over", "one too many"));
      JsonObject limited = client.skipUntil(m -> "error".equals(m.getString("type")), Conversations.REPLY_WAIT);
      assertEquals("rate_limited", limited.getString("code"), limited.encode());
      assertEquals("w-over", limited.getString("ref"), limited.encode());
      // Nothing journaled for it; once replies end, the same id is accepted.
      await().atMost(Conversations.REPLY_WAIT).until(() -> {
        client.send(Commands.send("q", "w-over", "one too many"));
        JsonObject m = client.skipUntil(x -> "accepted".equals(x.getString("type"))
            && "w-over".equals(x.getString("id")) || "error".equals(x.getString("type")), Conversations.REPLY_WAIT);
        return "accepted".equals(m.getString("type"));
      });
    }
    List<String> journaled = system.api().allFrames(system.token(sub + "-http"), "q").stream()
        .filter(f -> "user_message".equals(f.getString("kind"))).map(f -> f.getString("id")).toList();
    assertEquals(accepted, journaled, "the refused sends left nothing in the journal");
  }

  @Test
  void refIsCutTo128Characters() {
    try (WsTestClient client = system.connectAs("lim-ref")) {
      String badThread = "x y".repeat(20_000); // 60 KB, invalid (space)
      client.send(new JsonObject().put("type", "ack").put("thread", badThread).put("seq", 1));
      JsonObject error = Conversations.assertError(client, "bad_request", null);
      assertEquals(badThread.substring(0, 128), error.getString("ref"));
      assertTrue(error.encode().length() < 512, "answer size " + error.encode().length());
      client.send(Commands.send("t", "i".repeat(65), "text")); // id too long (65 > 64): echoed whole
      assertEquals("i".repeat(65), Conversations.assertError(client, "bad_request", null).getString("ref"));
      client.send(Commands.send("t", "j".repeat(5_000), "text"));
      assertEquals("j".repeat(128), Conversations.assertError(client, "bad_request", null).getString("ref"));
    }
  }

  @Test
  void aUsersSendQuotaIsSharedByItsSocketsAndTheHttpApi() {
    try (TestSystem system = TestSystem.configure().set("RELAY_SEND_RATE_PER_S", "1")
        .set("RELAY_SEND_BURST", String.valueOf(SEND_BURST)).start()) {
      sendQuotaIsShared(system);
    }
  }

  private static void sendQuotaIsShared(TestSystem system) {
    String sub = "lim-quota";
    try (WsTestClient a = system.connectAs(sub); WsTestClient b = system.connectAs(sub)) {
      Set<String> ok = new HashSet<>();
      for (int i = 0; i < SEND_BURST / 2; i++) {
        a.send(Commands.send("qa", "a" + i, "x"));
        ok.add(a.next("accepted").getString("id"));
        b.send(Commands.send("qb" + i, "b" + i, "x"));
        ok.add(b.next("accepted").getString("id"));
      }
      assertEquals(SEND_BURST, ok.size());
      // The quota is spent for the user, whichever way it sends next.
      HistoryApi.Response http = system.api().postMessage(system.token(sub), "qh", "h0", "x");
      assertEquals(429, http.status(), http.toString());
      assertTrue(Integer.parseInt(http.headers().get("Retry-After")) >= 1);
      a.send(Commands.send("qa", "a-over", "x"));
      JsonObject error = a.skipUntil(m -> "error".equals(m.getString("type")), WsTestClient.WAIT);
      assertEquals("rate_limited", error.getString("code"));
      assertEquals("a-over", error.getString("ref"));
      // Another user is not affected.
      assertEquals(202, system.api().postMessage(system.token(sub + "-other"), "qh", "h0", "x").status());
    }
  }

  @Test
  void historyPagesAreCutAtOneMebibyteOfFrames() {
    String sub = "lim-history";
    String token = system.token(sub);
    String big = "b".repeat(16_000);
    int sends = 28; // each: a 16 KB user message, 16 KB of chunks, a 16 KB reply: ≈ 1.3 MB
    for (int i = 0; i < sends; i++) {
      String id = "h" + i;
      await().atMost(Conversations.REPLY_WAIT).until(() ->
          system.api().postMessage(token, "big", id, big).status() == 202);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      List<JsonObject> all = system.api().allFrames(token, "big");
      return all.stream().filter(f -> "message".equals(f.getString("kind"))).count() == sends;
    });
    JsonObject page = system.api().page(token, "big", 0L, HistoryApi.MAX_LIMIT);
    JsonArray frames = page.getJsonArray("frames");
    long bytes = frames.stream().mapToLong(f -> ((JsonObject) f).encode().getBytes(
        java.nio.charset.StandardCharsets.UTF_8).length).sum();
    assertTrue(bytes <= 1 << 20, "page of " + bytes + " bytes");
    assertTrue(frames.size() < page.getLong("head"), "fewer frames than the thread has: " + frames.size());
    assertTrue(bytes > (1 << 20) - 20_000, "the page is filled up to the budget: " + bytes);
    // Paging on with after reaches the head with nothing lost.
    List<JsonObject> all = system.api().allFrames(token, "big");
    assertEquals(page.getLong("head"), all.get(all.size() - 1).getLong("seq"));
  }
}
