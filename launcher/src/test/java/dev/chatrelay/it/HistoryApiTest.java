package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history client pages through a fake API and reports what it sent. */
class HistoryApiTest {

  private static final int HEAD = 2500;
  private final Vertx vertx = Vertx.vertx();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startFakeApi() {
    server = vertx.createHttpServer().requestHandler(request -> {
      requests.add(request.method() + " " + request.uri() + " "
          + request.getHeader("Authorization"));
      if (!"Bearer tok".equals(request.getHeader("Authorization"))) {
        request.response().setStatusCode(401)
            .end(new JsonObject().put("code", "unauthorized").encode());
        return;
      }
      if (request.path().endsWith("/messages")) {
        request.body().onSuccess(body -> request.response().setStatusCode(202)
            .end(body.toJsonObject().put("seq", 7).encode()));
        return;
      }
      long after = Long.parseLong(request.getParam("after", "0"));
      int limit = Integer.parseInt(request.getParam("limit", "100"));
      JsonArray frames = new JsonArray();
      for (long seq = after + 1; seq <= Math.min(HEAD, after + limit); seq++) {
        frames.add(new JsonObject().put("type", "frame").put("seq", seq));
      }
      request.response().end(new JsonObject().put("thread", "t").put("epoch", "e")
          .put("head", HEAD).put("frames", frames).encode());
    }).listen(0).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void allFramesPagesWithTheLargestPage() {
    try (HistoryApi api = new HistoryApi(vertx, server.actualPort())) {
      List<JsonObject> frames = api.allFrames("tok", "t");
      assertEquals(HEAD, frames.size());
      for (int i = 0; i < HEAD; i++) {
        assertEquals(i + 1, frames.get(i).getLong("seq"));
      }
      assertEquals(List.of(
          "GET /api/threads/t/frames?after=0&limit=1000 Bearer tok",
          "GET /api/threads/t/frames?after=1000&limit=1000 Bearer tok",
          "GET /api/threads/t/frames?after=2000&limit=1000 Bearer tok",
          "GET /api/threads/t/frames?after=2500&limit=1000 Bearer tok"), requests);
    }
  }

  @Test
  void errorsAreReportedWithStatusAndBody() {
    try (HistoryApi api = new HistoryApi(vertx, server.actualPort())) {
      HistoryApi.Response response = api.get(HistoryApi.framesPath("t", null, null), null);
      assertEquals(401, response.status());
      assertEquals("unauthorized", response.json().getString("code"));
      assertThrows(AssertionError.class, () -> api.page("bad", "t", 0L, 10));
    }
  }

  @Test
  void postSendsJson() {
    try (HistoryApi api = new HistoryApi(vertx, server.actualPort())) {
      HistoryApi.Response response = api.postMessage("tok", "t", "m1", "hi");
      assertEquals(202, response.status());
      assertEquals(new JsonObject().put("id", "m1").put("text", "hi").put("seq", 7),
          response.json());
    }
  }
}
