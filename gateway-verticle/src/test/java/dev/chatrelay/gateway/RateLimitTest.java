package dev.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-connection command rate (PROTOCOL.md: error rate_limited, persisting: 4029). */
@ExtendWith(VertxExtension.class)
class RateLimitTest {

  private GatewayHarness gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    // 1 command/s, burst 3: the 4th quick command is over the rate.
    gw = new GatewayHarness(vertx, Map.of(
        GatewayConfig.RATE_LIMIT_PER_S, "1",
        GatewayConfig.RATE_LIMIT_BURST, "3",
        GatewayConfig.RATE_LIMIT_CLOSE_MS, "400",
        GatewayConfig.RATE_LIMIT_QUIET_MS, "5000"));
  }

  @AfterEach
  void close() {
    gw.close();
  }

  private static JsonObject unsubscribe(String thread) {
    return new JsonObject().put("type", "unsubscribe").put("thread", thread);
  }

  @Test
  void overTheRateAnswersRateLimitedWithRefAndDropsTheCommand() {
    WsClient c = gw.open("alice");
    for (int i = 0; i < 3; i++) {
      c.send(unsubscribe("t" + i));
      c.next("unsubscribed");
    }
    c.send(new JsonObject().put("type", "send").put("thread", "t").put("id", "m7").put("text", "hi"));
    JsonObject error = c.next("error");
    assertEquals("rate_limited", error.getString("code"));
    assertEquals("m7", error.getString("ref"));
    c.send(unsubscribe("t9"));
    assertEquals("t9", c.next("error").getString("ref"));
    assertEquals(0, gw.relay.commands("send", j -> j).size());
  }

  @Test
  void validAcksAndPongsAreNotCountedButPingsAndInvalidAcksAre() {
    WsClient c = gw.open("alice");
    for (int i = 0; i < 20; i++) {
      c.send(new JsonObject().put("type", "ack").put("thread", "t").put("seq", 1));
      c.send(new JsonObject().put("type", "pong"));
    }
    for (int i = 0; i < 3; i++) { // the whole burst is still there
      c.send(new JsonObject().put("type", "ping"));
      c.next("pong");
    }
    // An ack answered with an error counts: checked against the (now spent) rate first.
    c.send(new JsonObject().put("type", "ack").put("thread", "bad thread").put("seq", 1));
    assertEquals("rate_limited", c.next("error").getString("code"));
  }

  @Test
  void malformedHellosCountBeforeAuthentication() {
    WsClient c = gw.connect(gw.options());
    for (int i = 0; i < 3; i++) {
      c.send(new JsonObject().put("type", "hello").put("resume", "not-an-array"));
      assertEquals("bad_request", c.next("error").getString("code"));
    }
    c.send(new JsonObject().put("type", "hello").put("resume", "not-an-array"));
    assertEquals("rate_limited", c.next("error").getString("code"));
  }

  @Test
  void rejectionsPersistingForCloseMsClose4029() {
    WsClient c = gw.open("alice");
    while (!c.isClosed()) {
      int seen = c.all.size();
      c.send(unsubscribe("t"));
      org.awaitility.Awaitility.await().atMost(WsClient.WAIT).until(() -> c.isClosed() || c.all.size() > seen);
    }
    assertEquals(4029, c.awaitClose());
    assertEquals(true, c.all.stream().anyMatch(m -> "rate_limited".equals(m.getString("code"))));
  }
}
