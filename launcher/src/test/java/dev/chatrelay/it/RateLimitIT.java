package dev.chatrelay.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Default command rate 50/s with bursts of 100; persisting for 5 s closes with 4029. The HTTP
 * thread API: 2 requests/s per user with bursts of 3 here, then 429 with Retry-After.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

  private static final int BURST = 100;
  private static final long PERSIST_MS = 5_000;
  private static final long TOLERANCE_MS = 500;
  private static final int HTTP_RATE = 2;
  private static final int HTTP_BURST = 3;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_HTTP_RATE_PER_S", String.valueOf(HTTP_RATE))
        .set("RELAY_HTTP_RATE_BURST", String.valueOf(HTTP_BURST))
        .start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  /** Sends {@code count} unsubscribes at once; returns how many were answered rate_limited. */
  private static int flood(WsTestClient client, int count) {
    for (int i = 0; i < count; i++) {
      client.send(Commands.unsubscribe("rl"));
    }
    int limited = 0;
    for (int i = 0; i < count; i++) {
      JsonObject answer = client.next();
      if ("error".equals(answer.getString("type"))) {
        assertEquals("rate_limited", answer.getString("code"), answer.encode());
        limited++;
      } else {
        assertEquals("unsubscribed", answer.getString("type"), answer.encode());
      }
    }
    return limited;
  }

  @Test
  void aBurstOverTheLimitIsAnsweredRateLimited() {
    try (WsTestClient client = system.connectAs("rl-burst")) {
      int limited = flood(client, BURST + 50);
      // The bucket starts full: the burst passes; some of the rest may refill (50/s).
      assertTrue(limited >= 1 && limited <= 51, "rate_limited answers: " + limited);
      Conversations.assertAlive(client);
    }
  }

  @Test
  void persistingOverTheLimitCloses4029() {
    try (WsTestClient client = system.connectAs("rl-persist")) {
      long firstLimited = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // A closed loop as fast as the server answers: far over 50/s, without sleeping.
      while (!client.isClosed() && System.nanoTime() < deadline) {
        int sent = 0;
        while (sent < 20 && client.trySend(Commands.unsubscribe("rl"))) {
          sent++;
        }
        for (int i = 0; i < sent && !client.isClosed(); i++) {
          JsonObject answer = client.poll(WsTestClient.WAIT, false);
          if (answer != null && "error".equals(answer.getString("type")) && firstLimited == 0) {
            assertEquals("rate_limited", answer.getString("code"));
            firstLimited = System.nanoTime();
          }
        }
      }
      assertEquals(4029, client.awaitClose());
      assertTrue(firstLimited > 0, "rate_limited came before the close");
      long persistedMs = (System.nanoTime() - firstLimited) / 1_000_000;
      assertTrue(persistedMs >= PERSIST_MS - TOLERANCE_MS, "closed after " + persistedMs + " ms");
    }
  }

  @Test
  void validAcksAndPongsAreNotCounted() {
    try (WsTestClient client = system.connectAs("rl-free")) {
      for (int i = 0; i < 3 * BURST; i++) {
        client.send(Commands.pong());
        client.send(Commands.ack("rl", i));
      }
      assertEquals(0, flood(client, BURST), "the whole burst is still available");
    }
  }

  @Test
  void pingsAndMessagesAnsweredWithAnErrorAreCounted() {
    try (WsTestClient client = system.connectAs("rl-pings")) {
      // Sent at once: the server reads them back to back, so little refills meanwhile (50/s).
      for (int i = 0; i < BURST / 2; i++) {
        client.send(Commands.ping());
        client.send(new JsonObject().put("type", "ack").put("thread", "not a thread").put("seq", 1));
      }
      int unsubscribes = 40;
      for (int i = 0; i < unsubscribes; i++) {
        client.send(Commands.unsubscribe("rl"));
      }
      int limited = 0;
      for (int i = 0; i < BURST + unsubscribes; i++) {
        JsonObject answer = client.next();
        if ("rate_limited".equals(answer.getString("code"))) {
          limited++;
        }
      }
      // Had pings and refused acks not counted, the burst of 100 would cover every unsubscribe.
      assertTrue(limited >= 10, "rate_limited answers: " + limited);
    }
  }

  @Test
  void theHttpThreadApiAnswers429WithRetryAfterPerUserAndJournalsNothingRefused() {
    HistoryApi api = system.api();
    String token = system.token("rl-http");
    int accepted = 0;
    HistoryApi.Response refused = null;
    for (int i = 0; i < HTTP_BURST + 5 && refused == null; i++) {
      HistoryApi.Response r = api.postJson("/api/threads/rl-http/messages", token,
          new JsonObject().put("id", "h" + i).put("text", "hi " + i));
      if (r.status() == 429) {
        refused = r;
      } else {
        assertEquals(202, r.status(), r.toString());
        accepted++;
      }
    }
    assertTrue(refused != null, "the burst ran out");
    assertTrue(accepted >= HTTP_BURST, "the burst passed: " + accepted);
    assertEquals("rate_limited", refused.json().getString("code"));
    assertTrue(Integer.parseInt(refused.headers().get("Retry-After")) >= 1);
    assertEquals(200, api.get(HistoryApi.framesPath("rl-http", null, null),
        system.token("rl-http-other")).status(), "another user is not limited");
    AtomicReference<JsonObject> page =
        new AtomicReference<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      HistoryApi.Response r = api.get(HistoryApi.framesPath("rl-http", null, null), token);
      page.set(r.status() == 200 ? r.json() : null);
      return page.get() != null;
    });
    List<String> journaled = page.get().getJsonArray("frames").stream()
        .map(f -> (JsonObject) f)
        .filter(f -> "user_message".equals(f.getString("kind")))
        .map(f -> f.getString("id"))
        .toList();
    List<String> expected = IntStream.range(0, accepted)
        .mapToObj(i -> "h" + i).toList();
    assertEquals(expected, journaled, "every accepted message once, the refused one never");
  }
}
