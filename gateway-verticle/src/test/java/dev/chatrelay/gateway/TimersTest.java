package dev.chatrelay.gateway;

import static dev.chatrelay.gateway.GatewayHarness.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chatrelay.protocol.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heartbeats and token expiry: what the periodic sweep does. */
@ExtendWith(VertxExtension.class)
class TimersTest {

  private GatewayHarness gw;

  @AfterEach
  void close() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void pingsAfterAHeartbeatOfSilenceAndStaysOpenWhileTheClientAnswers(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.HEARTBEAT_MS, "300"));
    WsClient c = gw.open("alice");
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      c.next("ping");
      c.send(new JsonObject().put("type", "pong"));
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertFalse(c.isClosed(), "answered pings keep the connection");
    assertEquals(true, elapsedMs >= 3 * 300, "pings come a heartbeat apart, not faster: " + elapsedMs);
  }

  @Test
  void silentClientIsClosed4001AfterTwoHeartbeats(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.HEARTBEAT_MS, "200"));
    WsClient c = gw.open("alice");
    c.next("ping");
    assertEquals(4001, c.awaitClose());
  }

  /** Tokens expire in whole seconds: these tests move an injected clock instead of waiting. */
  private WsClient openWithExpiry(Vertx vertx, MutableClock clock, long expInSeconds) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.TOKEN_EXPIRING_MS, "60000"), clock, 1);
    WsClient c = gw.connect();
    c.send(hello(token("alice", clock, expInSeconds)));
    c.next("welcome");
    return c;
  }

  private static String token(String sub, Clock clock, long expInSeconds) {
    return TestTokens.hs256(new JsonObject().put("sub", sub).put("exp", clock.millis() / 1000 + expInSeconds));
  }

  @Test
  void tokenExpiringComesLeadBeforeExpThen4401AfterExpPlusLeeway(Vertx vertx) {
    MutableClock clock = new MutableClock();
    WsClient c = openWithExpiry(vertx, clock, 600);
    c.expectQuiet();
    clock.advance(540_000 + 1_000); // less than 60 s left
    JsonObject warning = c.next("token_expiring");
    assertEquals(c.all.get(0).getLong("exp"), warning.getLong("exp"));
    c.expectQuiet(); // warned once
    clock.advance(60_000); // at exp: the 5 s leeway still holds
    c.expectQuiet();
    clock.advance(6_000);
    assertEquals(4401, c.awaitClose());
  }

  @Test
  void tokenExpiringComesAtOnceWhenLessThanTheLeadRemains(Vertx vertx) {
    MutableClock clock = new MutableClock();
    WsClient c = openWithExpiry(vertx, clock, 30);
    assertEquals("token_expiring", c.next().getString("type"));
  }

  @Test
  void refreshMovesTheExpiryAndWarnsAgainBeforeTheNewExp(Vertx vertx) {
    MutableClock clock = new MutableClock();
    WsClient c = openWithExpiry(vertx, clock, 30);
    c.next("token_expiring");
    String fresh = token("alice", clock, 600);
    long freshExp = clock.millis() / 1000 + 600;
    c.send(new JsonObject().put("type", "refresh").put("token", fresh));
    assertEquals(freshExp, c.next("refreshed").getLong("exp"));
    clock.advance(40_000); // the old token would be past exp + leeway now
    c.expectQuiet();
    clock.advance(600_000 - 40_000 - 59_000);
    assertEquals(freshExp, c.next("token_expiring").getLong("exp"));
  }

  @Test
  void refreshForAnotherSubCloses4401(Vertx vertx) {
    MutableClock clock = new MutableClock();
    WsClient c = openWithExpiry(vertx, clock, 600);
    c.send(new JsonObject().put("type", "refresh").put("token", token("mallory", clock, 600)));
    assertEquals(4401, c.awaitClose());
  }

  @Test
  void refreshWithAnInvalidTokenCloses4401(Vertx vertx) {
    MutableClock clock = new MutableClock();
    WsClient c = openWithExpiry(vertx, clock, 600);
    c.send(new JsonObject().put("type", "refresh").put("token", "garbage"));
    assertEquals(4401, c.awaitClose());
  }
}
