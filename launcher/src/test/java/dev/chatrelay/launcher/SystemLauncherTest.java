package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemLauncherTest {

  private final Vertx client = Vertx.vertx();

  @AfterEach
  void close() {
    client.close().await();
  }

  private static LaunchPlan plan(int healthPort) {
    return LaunchPlan.from(ConfigLoader.load(Map.of(
        "RELAY_HTTP_PORT", String.valueOf(FreePorts.find()),
        "RELAY_JWT_HS256_SECRET", "system-launcher-test-secret-0123456789",
        LauncherConfig.GATEWAY_INSTANCES, "2",
        LauncherConfig.EVENT_LOOPS, "1",
        LauncherConfig.HEALTH_PORT, String.valueOf(healthPort),
        LauncherConfig.SHUTDOWN_TIMEOUT_MS, "5000")));
  }

  private int status(int port, String path) {
    HttpClient http = client.createHttpClient();
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(request -> request.send()
            .compose(response -> response.body().map(body -> response.statusCode())))
        .await();
  }

  @Test
  void startsEveryRoleLogsReadyOnceThenDrainsAndShutsDown() {
    RunningSystem system;
    try (LogCapture logs = new LogCapture()) {
      system = SystemLauncher.start(plan(FreePorts.find())).await();
      List<String> ready = logs.lines("READY");
      assertEquals(1, ready.size(), "exactly one READY line: " + ready);
      int httpPort = system.plan().gateway().httpPort();
      assertTrue(ready.get(0).startsWith("READY http://localhost:" + httpPort + "/"), ready.get(0));
    }
    assertTrue(system.gatewayRuntime().isReady());
    assertTrue(system.vertx().deploymentIDs().size() >= 3, "relay, worker, gateway (+ children)");
    int loops = 0;
    for (var loop : ((io.vertx.core.internal.VertxInternal) system.vertx()).nettyEventLoopGroup()) {
      loops++;
    }
    assertEquals(1, loops, "RELAY_EVENT_LOOPS sizes the event-loop group");
    assertEquals(200, status(system.healthPort(), "/healthz"));
    assertEquals(200, status(system.healthPort(), "/readyz"));

    system.drainGateways().await();
    assertFalse(system.gatewayRuntime().isReady(), "a drained gateway is not ready");
    assertEquals(503, status(system.healthPort(), "/readyz"), "not ready while stopping");
    assertSame(system.drainGateways(), system.drainGateways(), "drain runs once");

    try (LogCapture logs = new LogCapture()) {
      system.shutdown().await();
      assertSame(system.shutdown(), system.shutdown(), "shutdown runs once");
      for (String step : List.of("undeploy role=gateway", "undeploy role=worker",
          "undeploy role=relay", "step=close-vertx", "event=shutdown.complete")) {
        assertEquals(1, logs.lines(step).size(), "logged once: " + step);
      }
    }
    assertTrue(system.vertx().deploymentIDs().isEmpty());
  }

  @Test
  void anUnreachableRedisFailsTheStartNamingIt() throws IOException {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      closedPort = free.getLocalPort();
    }
    LaunchPlan plan = LaunchPlan.from(ConfigLoader.load(Map.of(
        "RELAY_HTTP_PORT", String.valueOf(FreePorts.find()),
        "RELAY_JWT_HS256_SECRET", "system-launcher-test-secret-0123456789",
        "RELAY_REDIS_URL", "redis://:hunter2@127.0.0.1:" + closedPort)));
    Exception e = assertThrows(Exception.class, () -> SystemLauncher.start(plan).await());
    assertTrue(e.getMessage().contains("cannot connect to redis at"), "the cause is reported: " + e);
    assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), "no password in the message: " + e);
  }

  @Test
  void failedStartClosesWhatItStarted() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
      LaunchPlan plan = plan(taken.getLocalPort());
      Exception e = assertThrows(Exception.class, () -> SystemLauncher.start(plan).await());
      assertTrue(e.getMessage().contains("in use"), "the cause is reported: " + e);
    }
  }
}
