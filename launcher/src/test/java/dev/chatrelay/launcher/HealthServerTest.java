package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  private final Vertx vertx = VertxFactory.create(ClusterConfig.from(
      new dev.chatrelay.protocol.config.ConfigSource(null))).await().vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private int status(HttpClient client, int port, String path) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(request -> request.send()
            .compose(response -> response.body().map(body -> response.statusCode())))
        .await();
  }

  @Test
  void probesAndMetrics() {
    AtomicBoolean ready = new AtomicBoolean(false);
    HealthServer server = HealthServer.start(vertx, 0, ready::get, null).await();
    HttpClient client = vertx.createHttpClient();
    int port = server.port();
    assertEquals(200, status(client, port, "/healthz"));
    assertEquals(503, status(client, port, "/readyz"));
    ready.set(true);
    assertEquals(200, status(client, port, "/readyz"));
    assertEquals(404, status(client, port, "/nope"));

    assertEquals(200, status(client, port, "/metrics"));
    String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(request -> request.send().compose(HttpClientResponse::body))
        .await().toString();
    assertTrue(body.contains("# TYPE"), "Prometheus text format");
    assertTrue(body.contains("vertx_http_server"), "Vert.x metrics are recorded");
    server.close().await();
  }
}
