package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.launcher.LogCapture;
import org.junit.jupiter.api.Test;

/** The harness starts the system through Main's path and tears it down completely. */
class TestSystemTest {

  @Test
  void startsOnAFreePortWithTheTestEnvironmentAndShutsDown() {
    TestSystem system;
    try (LogCapture logs = new LogCapture()) {
      system = TestSystem.configure().set("RELAY_SCRIPTED_DELAY_MS", "1").start();
      assertEquals(1, logs.lines("READY http://localhost:" + system.port() + "/").size());
    }
    try {
      assertEquals(String.valueOf(system.port()), system.environment().get("RELAY_HTTP_PORT"));
      assertEquals("1", system.running().plan().source().raw("RELAY_SCRIPTED_DELAY_MS"));
      assertEquals(Tokens.SECRET, system.running().plan().source().raw("RELAY_JWT_HS256_SECRET"));
      assertTrue(system.running().plan().generatedSecret() == null, "the test secret is used");
      assertTrue(system.running().gatewayRuntime().isReady());
      int deployments = system.running().vertx().deploymentIDs().size();
      int extra = system.deployExtraGateway();
      assertNotEquals(system.port(), extra);
      assertTrue(system.running().vertx().deploymentIDs().size() > deployments);
    } finally {
      system.close();
    }
    assertTrue(system.running().shutdown().succeeded());
    assertTrue(system.running().vertx().deploymentIDs().isEmpty());
  }
}
