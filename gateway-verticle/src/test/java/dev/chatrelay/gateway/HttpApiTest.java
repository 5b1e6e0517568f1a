package dev.chatrelay.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.gateway.HttpClientHelper.Response;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SendCommand;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP API, admin, health, metrics and static routes. */
@ExtendWith(VertxExtension.class)
class HttpApiTest {

  private GatewayHarness gw;
  private HttpClientHelper http;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.ADMIN_TOKEN, "admin-secret",
        GatewayConfig.MAX_FRAME_BYTES, "4096", GatewayConfig.BUS_TIMEOUT_MS, "300"));
    http = new HttpClientHelper(vertx, gw.port());
  }

  @AfterEach
  void close() {
    gw.close();
  }

  private static void assertError(Response r, int status, String code) {
    assertEquals(status, r.status(), r.body().toString());
    assertEquals(code, r.json().getString("code"));
    assertTrue(r.json().containsKey("message"));
    assertTrue(r.header("content-type").startsWith("application/json"));
  }

  @Test
  void historyAnswersTheRelaysPageForTheTokensUser() {
    gw.relay.onHistory = q -> Future.succeededFuture(new HistoryPage(q.key().thread(), "e1", 2,
        List.of(FakeRelay.frame(q.key().thread(), 1), FakeRelay.frame(q.key().thread(), 2))));
    Response r = http.get("/api/threads/t1/frames?after=0&limit=5", gw.token("alice"));
    assertEquals(200, r.status());
    JsonObject page = r.json();
    assertEquals("t1", page.getString("thread"));
    assertEquals(2, page.getLong("head"));
    assertEquals("frame", page.getJsonArray("frames").getJsonObject(0).getString("type"));
    assertEquals(2, page.getJsonArray("frames").getJsonObject(1).getLong("seq"));
    HistoryQuery q = gw.relay.commands(HistoryQuery.TAG, HistoryQuery::fromJson).get(0);
    assertEquals("alice", q.key().sub());
    assertEquals(5, q.limit());
  }

  @Test
  void historyDefaultsAndClampsTheLimit() {
    http.get("/api/threads/t1/frames", gw.token("alice"));
    http.get("/api/threads/t1/frames?after=3&limit=5000", gw.token("alice"));
    http.get("/api/threads/t1/frames?limit=99999999999999999999999", gw.token("alice"));
    List<HistoryQuery> qs = gw.relay.commands(HistoryQuery.TAG, HistoryQuery::fromJson);
    assertEquals(List.of(100, 1000, 1000), qs.stream().map(HistoryQuery::limit).toList());
    assertEquals(List.of(0L, 3L, 0L), qs.stream().map(HistoryQuery::after).toList());
  }

  @Test
  void historyErrors() {
    assertError(http.get("/api/threads/t1/frames", null), 401, "unauthorized");
    assertError(http.get("/api/threads/t1/frames", "garbage"), 401, "unauthorized");
    assertError(http.get("/api/threads/bad%20id/frames", gw.token("a")), 400, "bad_request");
    assertError(http.get("/api/threads/t1/frames?after=-1", gw.token("a")), 400, "bad_request");
    assertError(http.get("/api/threads/t1/frames?after=x", gw.token("a")), 400, "bad_request");
    assertError(http.get("/api/threads/t1/frames?limit=0", gw.token("a")), 400, "bad_request");
    gw.relay.onHistory = q -> Future.failedFuture(FakeRelay.failure(BusFailure.NOT_FOUND));
    assertError(http.get("/api/threads/t1/frames", gw.token("a")), 404, "not_found");
    gw.relay.onHistory = q -> Future.failedFuture(FakeRelay.failure(BusFailure.FORBIDDEN));
    assertError(http.get("/api/threads/t1/frames", gw.token("a")), 403, "forbidden");
    gw.relay.stop();
    assertError(http.get("/api/threads/t1/frames", gw.token("a")), 503, "unavailable");
  }

  @Test
  void postMessageAnswers202WithTheSeq() {
    gw.relay.onSend = cmd -> Future.succeededFuture(new SendAccepted(9));
    Response r = http.post("/api/threads/t1/messages", gw.token("alice"),
        new JsonObject().put("id", "m1").put("text", "hi").encode());
    assertEquals(202, r.status());
    assertEquals(new JsonObject().put("id", "m1").put("thread", "t1").put("seq", 9), r.json());
    SendCommand cmd = gw.relay.commands(SendCommand.TAG, SendCommand::fromJson).get(0);
    assertEquals("alice", cmd.key().sub());
    assertEquals("hi", cmd.text());
  }

  @Test
  void theThreadApiIsRateLimitedPerUserWith429AndRetryAfter() {
    gw.close(); // one fake relay on the bus at a time
    GatewayHarness limited = new GatewayHarness(gw.vertx, Map.of(
        GatewayConfig.HTTP_RATE_PER_S, "1", GatewayConfig.HTTP_RATE_BURST, "2"));
    try {
      HttpClientHelper client = new HttpClientHelper(gw.vertx, limited.port());
      String alice = limited.token("alice");
      assertEquals(200, client.get("/api/threads/t1/frames", alice).status());
      assertEquals(202, client.post("/api/threads/t1/messages", alice,
          new JsonObject().put("id", "m1").put("text", "hi").encode()).status());
      Response refused = client.post("/api/threads/t1/messages", alice,
          new JsonObject().put("id", "m2").put("text", "hi").encode());
      assertError(refused, 429, "rate_limited");
      assertEquals("1", refused.header("Retry-After"));
      assertEquals(List.of("m1"), limited.relay.commands(SendCommand.TAG, SendCommand::fromJson)
          .stream().map(SendCommand::id).toList(), "the refused message never reached a relay");
      assertEquals(200, client.get("/api/threads/t1/frames", limited.token("bob")).status());
      assertError(client.get("/api/threads/t1/frames", null), 401, "unauthorized");
    } finally {
      limited.close();
    }
  }

  @Test
  void postMessageErrors() {
    String t = gw.token("alice");
    assertError(http.post("/api/threads/t1/messages", null, "{\"id\":\"m\",\"text\":\"x\"}"), 401, "unauthorized");
    assertError(http.post("/api/threads/t1/messages", t, "not json"), 400, "bad_request");
    assertError(http.post("/api/threads/t1/messages", t, "[1]"), 400, "bad_request");
    assertError(http.post("/api/threads/t1/messages", t, "{\"text\":\"x\"}"), 400, "bad_request");
    assertError(http.post("/api/threads/t1/messages", t, "{\"id\":\"m\",\"text\":\"\"}"), 400, "bad_request");
    assertError(http.post("/api/threads/a%2Fb/messages", t, "{\"id\":\"m\",\"text\":\"x\"}"), 400, "bad_request");
    String big = new JsonObject().put("id", "m").put("text", "\u20ac".repeat(5462)).encode();
    gw.close();
    GatewayHarness roomy = new GatewayHarness(gw.vertx, Map.of());
    assertError(new HttpClientHelper(gw.vertx, roomy.port()).post("/api/threads/t1/messages", t, big), 413, "too_large");
    roomy.close();
    assertError(http.post("/api/threads/t1/messages", t, "{\"id\":\"m\",\"text\":\"" + "x".repeat(5000) + "\"}"),
        413, "too_large"); // over RELAY_MAX_FRAME_BYTES: refused by the body limit
  }

  @Test
  void corsAnswersAllowedOriginsOnly() {
    MultiMap preflight = MultiMap.caseInsensitiveMultiMap()
        .add("Origin", GatewayHarness.ALLOWED_ORIGIN)
        .add("Access-Control-Request-Method", "POST")
        .add("Access-Control-Request-Headers", "authorization,content-type");
    Response ok = http.call(HttpMethod.OPTIONS, "/api/threads/t1/messages", preflight, null);
    assertTrue(ok.status() < 300, "preflight status " + ok.status());
    assertEquals(GatewayHarness.ALLOWED_ORIGIN, ok.header("Access-Control-Allow-Origin"));

    MultiMap evil = MultiMap.caseInsensitiveMultiMap().addAll(preflight).set("Origin", "http://evil.example");
    Response refused = http.call(HttpMethod.OPTIONS, "/api/threads/t1/messages", evil, null);
    assertFalse(GatewayHarness.ALLOWED_ORIGIN.equals(refused.header("Access-Control-Allow-Origin")));
    assertEquals(null, refused.header("Access-Control-Allow-Origin"));

    MultiMap get = HttpClientHelper.auth(gw.token("a")).add("Origin", GatewayHarness.ALLOWED_ORIGIN);
    assertEquals(GatewayHarness.ALLOWED_ORIGIN,
        http.call(HttpMethod.GET, "/api/threads/t1/frames", get, null).header("Access-Control-Allow-Origin"));
  }

  @Test
  void adminDisconnectClosesEveryConnectionOfTheUserWith4503() {
    WsClient alice1 = gw.open("alice");
    WsClient alice2 = gw.open("alice");
    WsClient bob = gw.open("bob");
    assertError(http.post("/admin/users/alice/disconnect", null, null), 401, "unauthorized");
    assertError(http.post("/admin/users/alice/disconnect", "wrong", null), 401, "unauthorized");
    assertError(http.post("/admin/users/alice/disconnect", gw.token("alice"), null), 401, "unauthorized");
    alice1.expectQuiet();
    assertEquals(204, http.post("/admin/users/alice/disconnect", "admin-secret", null).status());
    assertEquals(4503, alice1.awaitClose());
    assertEquals(4503, alice2.awaitClose());
    bob.expectQuiet();
  }

  @Test
  void adminApiIsOffWithoutAnAdminToken() {
    GatewayHarness noAdmin = new GatewayHarness(gw.vertx, Map.of());
    Response r = new HttpClientHelper(gw.vertx, noAdmin.port()).post("/admin/users/alice/disconnect", "x", null);
    assertError(r, 404, "not_found");
    noAdmin.close();
  }

  @Test
  void healthAndReadiness() {
    assertEquals(200, http.get("/healthz", null).status());
    assertError(http.get("/readyz", null), 503, "unavailable");
    gw.runtime.markReady();
    assertEquals(200, http.get("/readyz", null).status());
    boolean[] clusterUp = {false};
    gw.runtime.addReadinessCondition(() -> clusterUp[0]);
    assertEquals(503, http.get("/readyz", null).status());
    clusterUp[0] = true;
    assertEquals(200, http.get("/readyz", null).status());
    gw.runtime.drain().await();
    assertEquals(503, http.get("/readyz", null).status());
    assertEquals(200, http.get("/healthz", null).status());
  }

  @Test
  void metricsArePrometheusText() {
    WsClient c = gw.open("alice");
    c.send(new JsonObject().put("type", "ping")).next("pong");
    Response r = http.get("/metrics", null);
    assertEquals(200, r.status());
    String text = r.body().toString();
    for (String name : List.of("relay_gateway_connections", "relay_gateway_frames_out_total",
        "relay_gateway_messages_in_total", "relay_gateway_acks_total", "relay_gateway_resumes_total",
        "relay_gateway_resets_total", "relay_gateway_gaps_total")) {
      assertTrue(text.contains(name), name + " in\n" + text);
    }
    c.close();
    await().atMost(WsClient.WAIT).until(() -> http.get("/metrics", null).body().toString()
        .contains("relay_gateway_closes_total{by=\"client\",code=\"1000\"}"));
  }

  @Test
  void staticFilesFromTheClasspathWebroot() {
    Response index = http.get("/", null);
    assertEquals(200, index.status());
    assertTrue(index.body().toString().contains("test fixture index"));
    Response js = http.get("/relay-client.js", null);
    assertEquals(200, js.status());
    assertTrue(js.header("content-type").startsWith("text/javascript"), js.header("content-type"));
    assertEquals("no-cache", js.header("cache-control"), "unversioned files are revalidated on every use");
    MultiMap conditional = MultiMap.caseInsensitiveMultiMap()
        .add("If-Modified-Since", js.header("last-modified"));
    assertEquals(304, http.call(HttpMethod.GET, "/relay-client.js", conditional, null).status());
    Response dts = http.get("/relay-client.d.ts", null);
    assertEquals(200, dts.status());
    assertTrue(dts.header("content-type").startsWith("application/typescript"), dts.header("content-type"));
    assertEquals(404, http.get("/nope.js", null).status());
  }

  @Test
  void devTokenEndpointIsOffByDefault() {
    assertEquals(404, http.post("/dev/token", null, "{}").status());
  }

  @Test
  void devTokensAreSignedAndWorkForHello() {
    GatewayHarness dev = new GatewayHarness(gw.vertx, Map.of(GatewayConfig.DEV_TOKENS, "true",
        GatewayConfig.DEV_TOKEN_TTL_S, "120"));
    HttpClientHelper devHttp = new HttpClientHelper(gw.vertx, dev.port());
    Response named = devHttp.post("/dev/token", null, "{\"sub\":\"carol\"}");
    assertEquals(200, named.status());
    assertEquals("carol", named.json().getString("sub"));
    long now = System.currentTimeMillis() / 1000;
    assertTrue(Math.abs(named.json().getLong("exp") - (now + 120)) <= 2);

    Response random = devHttp.post("/dev/token", null, null);
    assertTrue(random.json().getString("sub").matches("demo-[0-9a-f]{12}"), random.json().getString("sub"));
    assertError(devHttp.post("/dev/token", null, "{\"sub\":7}"), 400, "bad_request");

    WsClient c = dev.connect();
    c.send(GatewayHarness.hello(named.json().getString("token")));
    assertEquals(named.json().getLong("exp"), c.next("welcome").getLong("exp"));
    dev.close();
  }
}
