package dev.chatrelay.gateway;

import static dev.chatrelay.gateway.GatewayHarness.hello;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The upgrade checks and the hello handshake of PROTOCOL.md. */
@ExtendWith(VertxExtension.class)
class HandshakeTest {

  private GatewayHarness gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.HELLO_TIMEOUT_MS, "300"));
  }

  @AfterEach
  void close() {
    gw.close();
  }


  private int rawUpgradeStatus(String subprotocols) {
    return RawUpgrade.status(gw.vertx, gw.port(), Map.of("Sec-WebSocket-Protocol", subprotocols));
  }

  @Test
  void helloWithTokenGetsWelcomeWithSessionHeartbeatAndExp() {
    WsClient c = gw.connect();
    long exp = gw.clock.millis() / 1000 + 3600;
    c.send(hello(TestTokens.hs256(new JsonObject().put("sub", "alice").put("exp", exp))));
    JsonObject welcome = c.next("welcome");
    assertEquals(exp, welcome.getLong("exp"));
    assertEquals(gw.config.heartbeatMs(), welcome.getLong("heartbeat"));
    assertTrue(welcome.getString("session").startsWith(gw.instances.get(0).gatewayId()));
    c.expectQuiet();
  }

  @Test
  void bearerHeaderTokenIsUsedWhenHelloHasNone() {
    WsClient c = gw.connect(gw.options().addHeader("Authorization", "Bearer " + gw.token("bob")));
    c.send(hello(null));
    c.next("welcome");
  }

  @Test
  void helloTokenWinsOverTheHeader() {
    WsClient good = gw.connect(gw.options().addHeader("Authorization", "Bearer garbage"));
    good.send(hello(gw.token("bob")));
    good.next("welcome");

    WsClient bad = gw.connect(gw.options().addHeader("Authorization", "Bearer " + gw.token("bob")));
    bad.send(hello("garbage"));
    assertEquals(4401, bad.awaitClose());
  }

  @Test
  void missingTokenCloses4401() {
    WsClient c = gw.connect();
    c.send(hello(null));
    assertEquals(4401, c.awaitClose());
  }

  @Test
  void tokenOnlyInTheQueryStringIsIgnored() {
    WsClient c = gw.connect(gw.options().setURI("/ws?token=" + gw.token("eve") + "&access_token=" + gw.token("eve")));
    c.send(hello(null));
    assertEquals(4401, c.awaitClose());
  }

  @Test
  void everyKindOfBadTokenCloses4401() {
    long now = gw.clock.millis() / 1000;
    JsonObject valid = new JsonObject().put("sub", "mallory").put("exp", now + 3600);
    List<String> bad = List.of(
        TestTokens.none(valid, null),
        TestTokens.none(valid, ""),
        TestTokens.none(valid, "c2ln"),
        TestTokens.hmac("HS256", "HmacSHA256", "another-secret-another-secret-xx", valid),
        TestTokens.hmac("HS512", "HmacSHA512", TestTokens.SECRET, valid),
        TestTokens.hs256(new JsonObject().put("sub", "mallory").put("exp", now - 60)),
        TestTokens.hs256(valid.copy().put("nbf", now + 600)),
        TestTokens.hs256(new JsonObject().put("exp", now + 3600)),
        TestTokens.hs256(new JsonObject().put("sub", "mallory")),
        "garbage",
        "a.b.c",
        "");
    for (String token : bad) {
      WsClient c = gw.connect();
      c.send(hello(token));
      assertEquals(4401, c.awaitClose(), "token " + token);
    }
    // Closed while authenticating (input paused): the sessions are still released.
    await().atMost(WsClient.WAIT).until(() -> openConnections() == 0);
  }

  private double openConnections() {
    return gw.runtime.metrics().registry().get("relay.gateway.connections").gauge().value();
  }

  @Test
  void originOutsideTheAllowListIsRefusedWith403BeforeUpgrade() {
    assertEquals(403, RawUpgrade.status(gw.vertx, gw.port(), Map.of("Origin", "http://evil.example")));
    WsClient allowed = gw.connect(gw.options().addHeader("Origin", GatewayHarness.ALLOWED_ORIGIN));
    allowed.send(hello(gw.token("a"))).next("welcome");
    WsClient absent = gw.connect(gw.options());
    absent.send(hello(gw.token("a"))).next("welcome");
  }

  @Test
  void subprotocolRelayV1IsSelectedWhenOffered() {
    WsClient c = gw.connect(gw.options().addSubProtocol("other").addSubProtocol("relay.v1"));
    assertEquals("relay.v1", c.subprotocol());
    WsClient none = gw.connect(gw.options());
    assertNull(none.subprotocol());
  }

  @Test
  void offeringOnlyOtherSubprotocolsIs400() {
    assertEquals(400, rawUpgradeStatus("chat.v2"));
    assertEquals(400, rawUpgradeStatus("chat.v2, relay.v2"));
    assertEquals(101, rawUpgradeStatus("chat.v2, relay.v1"));
  }

  @Test
  void noHelloInTimeCloses4003() {
    WsClient c = gw.connect();
    assertEquals(4003, c.awaitClose());
  }

  @Test
  void firstMessageOtherThanHelloCloses4500() {
    WsClient c = gw.connect();
    c.send(new JsonObject().put("type", "subscribe").put("thread", "t"));
    assertEquals(4500, c.awaitClose());

    WsClient unknown = gw.connect();
    unknown.send(new JsonObject().put("type", "nope"));
    assertEquals(4500, unknown.awaitClose());

    WsClient notJson = gw.connect();
    notJson.sendText("hello?");
    assertEquals(4500, notJson.awaitClose());
  }

  @Test
  void malformedHelloAnswersBadRequestAndAGoodOneStillWorks() {
    WsClient c = gw.connect();
    c.send(new JsonObject().put("type", "hello").put("token", 42));
    assertEquals("bad_request", c.next("error").getString("code"));
    c.send(hello(gw.token("a")));
    c.next("welcome");
  }

  @Test
  void secondHelloAnswersBadRequest() {
    WsClient c = gw.open("alice");
    c.send(hello(gw.token("alice")));
    JsonObject error = c.next("error");
    assertEquals("bad_request", error.getString("code"));
    c.expectQuiet();
  }

  @Test
  void upgradesAreRefusedWith503WhileDraining() {
    gw.runtime.drain().await();
    assertEquals(503, RawUpgrade.status(gw.vertx, gw.port(), Map.of()));
  }
}
