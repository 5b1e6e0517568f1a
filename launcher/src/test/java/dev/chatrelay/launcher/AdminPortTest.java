package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RELAY_ADMIN_PORT: /metrics and /admin move to an internal listener, off the public port. */
class AdminPortTest {

  private static final String ADMIN_TOKEN = "admin-port-test-token";
  private final Vertx client = Vertx.vertx();

  @AfterEach
  void close() {
    client.close().await();
  }

  private static Map<String, String> env(int httpPort, int adminPort) {
    return Map.of(
        "RELAY_HTTP_PORT", String.valueOf(httpPort),
        "RELAY_JWT_HS256_SECRET", "admin-port-test-secret-0123456789abcdef",
        "RELAY_ADMIN_TOKEN", ADMIN_TOKEN,
        LauncherConfig.GATEWAY_INSTANCES, "1",
        LauncherConfig.ADMIN_PORT, String.valueOf(adminPort),
        LauncherConfig.SHUTDOWN_TIMEOUT_MS, "5000");
  }

  private int status(HttpMethod method, int port, String path, String bearer) {
    HttpClient http = client.createHttpClient();
    return http.request(method, port, "127.0.0.1", path)
        .compose(request -> {
          if (bearer != null) {
            request.putHeader("Authorization", "Bearer " + bearer);
          }
          return request.send().compose(response -> response.body().map(b -> response.statusCode()));
        })
        .await();
  }

  @Test
  void metricsAndAdminAnswerOnTheInternalPortOnly() {
    int httpPort = FreePorts.find();
    int adminPort = FreePorts.find();
    RunningSystem system = SystemLauncher.start(
        LaunchPlan.from(ConfigLoader.load(env(httpPort, adminPort)))).await();
    try {
      assertEquals(adminPort, system.adminPort());
      assertEquals(200, status(HttpMethod.GET, adminPort, "/metrics", null));
      assertEquals(200, status(HttpMethod.GET, adminPort, "/healthz", null));
      assertEquals(200, status(HttpMethod.GET, adminPort, "/readyz", null));
      assertEquals(204, status(HttpMethod.POST, adminPort, "/admin/users/u1/disconnect", ADMIN_TOKEN));
      assertEquals(401, status(HttpMethod.POST, adminPort, "/admin/users/u1/disconnect", "wrong"));

      assertEquals(404, status(HttpMethod.GET, httpPort, "/metrics", null));
      assertEquals(404, status(HttpMethod.POST, httpPort, "/admin/users/u1/disconnect", ADMIN_TOKEN));
      // Probes and the public surface stay on the public port.
      assertEquals(200, status(HttpMethod.GET, httpPort, "/healthz", null));
      assertEquals(200, status(HttpMethod.GET, httpPort, "/readyz", null));
      assertEquals(200, status(HttpMethod.GET, httpPort, "/relay-client.js", null));

      // Draining: the internal /readyz follows the gateway's readiness too.
      system.drainGateways().await();
      assertEquals(503, status(HttpMethod.GET, adminPort, "/readyz", null));
    } finally {
      system.shutdown().await();
    }
  }

  @Test
  void withoutAnAdminPortThePublicPortKeepsMetricsAndAdmin() {
    int httpPort = FreePorts.find();
    RunningSystem system = SystemLauncher.start(
        LaunchPlan.from(ConfigLoader.load(env(httpPort, 0)))).await();
    try {
      assertEquals(0, system.adminPort());
      assertEquals(200, status(HttpMethod.GET, httpPort, "/metrics", null));
      assertEquals(204, status(HttpMethod.POST, httpPort, "/admin/users/u1/disconnect", ADMIN_TOKEN));
    } finally {
      system.shutdown().await();
    }
  }

  @Test
  void theAdminPortCannotBeThePublicPort() {
    int port = FreePorts.find();
    String message = assertThrows(IllegalArgumentException.class,
        () -> LaunchPlan.from(ConfigLoader.load(env(port, port)))).getMessage();
    assertTrue(message.contains("RELAY_ADMIN_PORT") && message.contains("RELAY_HTTP_PORT"), message);
  }
}
