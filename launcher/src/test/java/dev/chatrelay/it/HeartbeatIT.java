package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Server pings, pongs keep a connection alive, silence closes it; hello must come in time. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatIT {

  private static final long HEARTBEAT_MS = 300;
  private static final long HELLO_TIMEOUT_MS = 400;
  /** Timers fire on event loops shared with other work: allow this much early/late. */
  private static final long TOLERANCE_MS = 100;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_HEARTBEAT_MS", String.valueOf(HEARTBEAT_MS))
        .set("RELAY_HELLO_TIMEOUT_MS", String.valueOf(HELLO_TIMEOUT_MS))
        .start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private WsTestClient manual() {
    return system.connect(WsTestClient.Options.defaults().autoPong(false));
  }

  @Test
  void serverPingsAnIdleClientAndPongsKeepItAlive() {
    try (WsTestClient client = manual()) {
      JsonObject welcome = client.hello(system.token("hb-alive"));
      assertEquals(HEARTBEAT_MS, welcome.getLong("heartbeat"));
      long start = System.nanoTime();
      for (int i = 0; i < 6; i++) {
        client.next("ping", Duration.ofMillis(HEARTBEAT_MS * 3));
        client.send(Commands.pong());
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs > 2 * HEARTBEAT_MS, "alive well past 2 x heartbeat: " + elapsedMs);
      assertFalse(client.isClosed());
      Conversations.assertAlive(client);
    }
  }

  @Test
  void anyClientMessageCountsAsASignOfLife() {
    try (WsTestClient client = manual()) {
      client.hello(system.token("hb-other"));
      for (int i = 0; i < 6; i++) {
        // Answer each ping with another command instead of pong.
        client.skipUntil("ping", Duration.ofMillis(HEARTBEAT_MS * 3));
        client.send(Commands.unsubscribe("hb"));
      }
      assertFalse(client.isClosed(), "closed with " + client.closeCode());
    }
  }

  @Test
  void silentClientIsClosedWith4001() {
    try (WsTestClient client = manual()) {
      client.hello(system.token("hb-silent"));
      long start = System.nanoTime();
      assertEquals(4001, client.awaitClose(Duration.ofSeconds(10)));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs >= 2 * HEARTBEAT_MS - TOLERANCE_MS,
          "not before 2 x heartbeat of silence: " + elapsedMs);
    }
  }

  @Test
  void noHelloInTimeIsClosedWith4003() {
    try (WsTestClient client = system.connect()) {
      long start = System.nanoTime();
      assertEquals(4003, client.awaitClose(Duration.ofSeconds(10)));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs >= HELLO_TIMEOUT_MS - TOLERANCE_MS,
          "not before the timeout: " + elapsedMs);
    }
  }

  @Test
  void clientPingIsAnsweredWithPong() {
    try (WsTestClient client = system.connect()) {
      client.hello(system.token("hb-ping"));
      client.send(Commands.ping());
      assertFields(new JsonObject().put("type", "pong"), client.next("pong"));
    }
  }
}
