package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.framesPerReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** At most RELAY_ACK_WINDOW unacked frames per subscription; full for too long: 4008. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowControlIT {

  private static final int WINDOW = 4;
  private static final long SLOW_CONSUMER_MS = 3000;
  /** How long "nothing more arrives" is watched; well under SLOW_CONSUMER_MS. */
  private static final Duration QUIET = Duration.ofMillis(250);
  private static final long TOLERANCE_MS = 200;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_ACK_WINDOW", String.valueOf(WINDOW))
        .set("RELAY_SLOW_CONSUMER_MS", String.valueOf(SLOW_CONSUMER_MS))
        .start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private WsTestClient subscriberWithoutAutoAck(String sub, String... threads) {
    WsTestClient client = system.connect(WsTestClient.Options.defaults().autoAck(false));
    client.hello(system.token(sub));
    for (String thread : threads) {
      Conversations.subscribe(client, thread, 0);
    }
    return client;
  }

  private long post(String sub, String thread, String id) {
    String token = system.token(sub);
    system.api().postMessage(token, thread, id, "flow " + id);
    long head = framesPerReply("flow " + id);
    Conversations.awaitHead(system.api(), token, thread, head);
    return head;
  }

  private void expectFrames(WsTestClient client, long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      assertEquals(seq, client.next("frame").getLong("seq"));
    }
    assertNull(client.poll(QUIET, true), "window full after seq " + to);
  }

  @Test
  void sendingStopsAtTheWindowAndResumesWithAcks() {
    try (WsTestClient client = subscriberWithoutAutoAck("flow-window", "w")) {
      long head = post("flow-window", "w", "w1");
      expectFrames(client, 1, WINDOW);
      client.send(Commands.ack("w", 999));
      assertNull(client.poll(QUIET, true), "an ack above what was delivered is ignored");
      client.send(Commands.ack("w", 2));
      expectFrames(client, WINDOW + 1, WINDOW + 2);
      client.send(Commands.ack("w", WINDOW + 2));
      expectFrames(client, WINDOW + 3, 2 * WINDOW + 2);
      client.send(Commands.ack("w", 2 * WINDOW + 2));
      for (long seq = 2 * WINDOW + 3; seq <= head; seq++) {
        assertEquals(seq, client.next("frame").getLong("seq"));
      }
      client.send(Commands.ack("w", head));
      Conversations.assertAlive(client);
    }
  }

  @Test
  void theWindowIsPerSubscription() {
    try (WsTestClient client = subscriberWithoutAutoAck("flow-two", "p", "q")) {
      post("flow-two", "p", "p1");
      post("flow-two", "q", "q1");
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 2 * WINDOW; i++) {
        JsonObject frame = client.next("frame");
        counts.merge(frame.getString("thread"), 1, Integer::sum);
      }
      assertEquals(Map.of("p", WINDOW, "q", WINDOW), counts);
      assertNull(client.poll(QUIET, true));
    }
  }

  @Test
  void subscriptionFullForTooLongCloses4008() {
    try (WsTestClient client = subscriberWithoutAutoAck("flow-slow", "s")) {
      post("flow-slow", "s", "s1");
      for (int seq = 1; seq <= WINDOW; seq++) {
        client.next("frame");
      }
      long fullSince = System.nanoTime();
      assertEquals(4008, client.awaitClose(Duration.ofSeconds(15)));
      long fullMs = (System.nanoTime() - fullSince) / 1_000_000;
      assertTrue(fullMs >= SLOW_CONSUMER_MS - TOLERANCE_MS, "closed after " + fullMs + " ms");
    }
  }
}
