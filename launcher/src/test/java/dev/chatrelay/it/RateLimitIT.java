package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Default command rate 50/s with bursts of 100; persisting for 5 s closes with 4029. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

  private static final int BURST = 100;
  private static final long PERSIST_MS = 5_000;
  private static final long TOLERANCE_MS = 500;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.start();
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
  void pingPongAndAckAreNotCounted() {
    try (WsTestClient client = system.connectAs("rl-free")) {
      for (int i = 0; i < 3 * BURST; i++) {
        client.send(Commands.ping());
        client.send(Commands.pong());
        client.send(Commands.ack("rl", i));
      }
      for (int i = 0; i < 3 * BURST; i++) {
        assertEquals("pong", client.next().getString("type"));
      }
      assertEquals(0, flood(client, BURST), "the whole burst is still available");
    }
  }
}
