package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertFields;
import static dev.chatrelay.it.Conversations.awaitHead;
import static dev.chatrelay.it.Conversations.framesPerReply;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The HTTP API: history paging and limits, posting, errors, CORS, probes and metrics. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryApiIT {

  /**
   * Above the 1000-frame page clamp, so the clamp test's thread (over 1000 frames) is retained
   * whole: with the default retention of 1000 a limit of 5000 would answer 1000 unclamped.
   */
  private static final int RETAINED = 2000;
  private TestSystem system;
  private HistoryApi api;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_RETENTION_FRAMES", String.valueOf(RETAINED))
        .start();
    api = system.api();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private static void assertErrorBody(HistoryApi.Response response, int status, String code) {
    assertEquals(status, response.status(), response.toString());
    JsonObject body = response.json();
    assertEquals(code, body.getString("code"), response.toString());
    assertTrue(body.getString("message") != null && !body.getString("message").isEmpty(),
        response.toString());
  }

  @Test
  void postThenReadThePageWithItsFields() {
    String token = system.token("api-read");
    HistoryApi.Response posted = api.postMessage(token, "read", "r1", "from http");
    assertEquals(202, posted.status(), posted.toString());
    assertFields(new JsonObject().put("id", "r1").put("thread", "read").put("seq", 1),
        posted.json());
    long head = framesPerReply("from http");
    awaitHead(api, token, "read", head);

    JsonObject page = api.page(token, "read", null, null);
    assertEquals("read", page.getString("thread"));
    assertTrue(!page.getString("epoch").isEmpty());
    assertEquals(head, page.getLong("head"));
    List<JsonObject> frames = HistoryApi.framesOf(page);
    Replies.assertContiguous(frames, 1);
    Replies.assertReply(frames, "read", "r1", "from http", Replies.chunks("from http", 8));

    List<JsonObject> middle = HistoryApi.framesOf(api.page(token, "read", 5L, 3));
    assertEquals(frames.subList(5, 8), middle, "after=5&limit=3 is seqs 6..8");
    JsonObject atHead = api.page(token, "read", head, null);
    assertEquals(head, atHead.getLong("head"));
    assertTrue(atHead.getJsonArray("frames").isEmpty());
    assertTrue(api.page(token, "read", head + 10, null).getJsonArray("frames").isEmpty());
  }

  @Test
  void neverWrittenThreadAnswersHeadZero() {
    JsonObject page = api.page(system.token("api-empty"), "nothing-here", null, null);
    assertEquals("nothing-here", page.getString("thread"));
    assertEquals(0, page.getLong("head"));
    assertTrue(page.getJsonArray("frames").isEmpty());
  }

  @Test
  void limitDefaultsTo100AndIsClampedAt1000() {
    String token = system.token("api-limits");
    int sends = 90;
    for (int i = 0; i < sends; i++) {
      String id = "m" + i;
      String text = "limit " + i;
      // At most 16 replies wait per thread (PROTOCOL.md Limits): a 429 is sent again later.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
        int status = api.postMessage(token, "many", id, text).status();
        assertTrue(status == 202 || status == 429, "status " + status);
        return status == 202;
      });
    }
    long head = 0;
    for (int i = 0; i < sends; i++) {
      head += framesPerReply("limit " + i);
    }
    assertTrue(head > 1000 && head <= RETAINED, "enough frames to see the clamp, all retained: " + head);
    awaitHead(api, token, "many", head);
    assertEquals(100, api.page(token, "many", null, null).getJsonArray("frames").size());
    assertEquals(1000, api.page(token, "many", 0L, 5000).getJsonArray("frames").size());
    assertEquals(1000, api.page(token, "many", 0L, 1000).getJsonArray("frames").size());
    List<JsonObject> all = api.allFrames(token, "many");
    assertEquals(head, all.size());
    Replies.assertContiguous(all, 1);
  }

  @Test
  void postIsIdempotentLikeSend() {
    String token = system.token("api-idem");
    HistoryApi.Response first = api.postMessage(token, "idem", "same", "first text");
    HistoryApi.Response second = api.postMessage(token, "idem", "same", "second text");
    assertEquals(202, second.status());
    assertEquals(first.json(), second.json());
    try (WsTestClient client = system.connectAs("api-idem")) {
      client.send(Commands.send("idem", "same", "third text"));
      assertEquals(first.json().getLong("seq"), client.next("accepted").getLong("seq"));
    }
    awaitHead(api, token, "idem", framesPerReply("first text"));
    List<JsonObject> frames = api.allFrames(token, "idem");
    assertEquals(framesPerReply("first text"), frames.size(), "one reply");
    assertEquals("first text", frames.get(0).getJsonObject("data").getString("text"));
  }

  @Test
  void historyBelongsToTheTokensUser() {
    String alice = system.token("api-alice");
    api.postMessage(alice, "private", "p1", "secret");
    awaitHead(api, alice, "private", framesPerReply("secret"));
    JsonObject bobs = api.page(system.token("api-bob"), "private", null, null);
    assertEquals(0, bobs.getLong("head"));
    assertTrue(bobs.getJsonArray("frames").isEmpty());
  }

  @Test
  void historyErrors() {
    String token = system.token("api-errors");
    String path = HistoryApi.framesPath("t", null, null);
    assertErrorBody(api.get(path, null), 401, "unauthorized");
    for (Tokens.Bad bad : system.tokens().badKinds("api-errors")) {
      if (!bad.token().isEmpty()) {
        assertErrorBody(api.get(path, bad.token()), 401, "unauthorized");
      }
    }
    assertErrorBody(api.request(HttpMethod.GET, path, Map.of("Authorization", "Basic abc"),
        null), 401, "unauthorized");
    assertErrorBody(api.get("/api/threads/" + "t".repeat(129) + "/frames", token), 400,
        "bad_request");
    assertErrorBody(api.get("/api/threads/a%20b/frames", token), 400, "bad_request");
    assertErrorBody(api.get("/api/threads/t/frames?after=-1", token), 400, "bad_request");
    assertErrorBody(api.get("/api/threads/t/frames?after=abc", token), 400, "bad_request");
    assertErrorBody(api.get("/api/threads/t/frames?limit=abc", token), 400, "bad_request");
    assertErrorBody(api.get("/api/threads/t/frames?limit=-5", token), 400, "bad_request");
  }

  @Test
  void postErrors() {
    String token = system.token("api-post-errors");
    assertErrorBody(api.postMessage(null, "t", "i", "x"), 401, "unauthorized");
    assertErrorBody(api.postMessage(system.tokens().expired("x"), "t", "i", "x"), 401,
        "unauthorized");
    assertErrorBody(api.postMessage(token, "t", null, "x"), 400, "bad_request");
    assertErrorBody(api.postMessage(token, "t", "", "x"), 400, "bad_request");
    assertErrorBody(api.postMessage(token, "t", "i".repeat(65), "x"), 400, "bad_request");
    assertErrorBody(api.postMessage(token, "t", "i", null), 400, "bad_request");
    assertErrorBody(api.postMessage(token, "t", "i", ""), 400, "bad_request");
    assertErrorBody(api.postMessage(token, "a%20b", "i", "x"), 400, "bad_request");
    assertErrorBody(api.postMessage(token, "t", "big", "a".repeat(16_385)), 413, "too_large");
    assertErrorBody(api.request(HttpMethod.POST, "/api/threads/t/messages",
        Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
        "{not json"), 400, "bad_request");
    assertErrorBody(api.postJson("/api/threads/t/messages", token,
        new JsonObject().put("id", 5).put("text", "x")), 400, "bad_request");
  }

  @Test
  void corsAnswersAllowedOriginsOnly() {
    String allowed = "http://localhost:" + system.port();
    HistoryApi.Response preflight = api.request(HttpMethod.OPTIONS, "/api/threads/t/frames",
        Map.of("Origin", allowed, "Access-Control-Request-Method", "GET",
            "Access-Control-Request-Headers", "authorization"), null);
    assertTrue(preflight.status() == 200 || preflight.status() == 204, preflight.toString());
    assertEquals(allowed, preflight.headers().get("Access-Control-Allow-Origin"));
    assertTrue(preflight.headers().get("Access-Control-Allow-Headers").toLowerCase()
        .contains("authorization"), preflight.headers().toString());

    HistoryApi.Response get = api.request(HttpMethod.GET, "/api/threads/t/frames",
        Map.of("Origin", allowed, "Authorization", "Bearer " + system.token("api-cors")), null);
    assertEquals(200, get.status());
    assertEquals(allowed, get.headers().get("Access-Control-Allow-Origin"));

    HistoryApi.Response evil = api.request(HttpMethod.OPTIONS, "/api/threads/t/frames",
        Map.of("Origin", "http://evil.example", "Access-Control-Request-Method", "GET"), null);
    assertNull(evil.headers().get("Access-Control-Allow-Origin"), evil.headers().toString());
  }

  @Test
  void probesAndMetrics() {
    assertEquals(200, api.get("/healthz", null).status());
    assertEquals(200, api.get("/readyz", null).status());
    HistoryApi.Response metrics = api.get("/metrics", null);
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains("# TYPE "), "Prometheus text format");
    assertTrue(metrics.body().contains("vertx_"), "Vert.x metrics are recorded");
  }
}
