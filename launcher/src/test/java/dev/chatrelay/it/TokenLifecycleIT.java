package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** token_expiring, refresh → refreshed, and 4401 once exp + leeway passes without one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenLifecycleIT {

  /** PROTOCOL.md: clock leeway. */
  private static final long LEEWAY_MS = 5_000;
  /** RELAY_TOKEN_EXPIRING_MS default. */
  private static final long EXPIRING_LEAD_S = 60;
  /** Timer granularity allowance. */
  private static final long TOLERANCE_MS = 500;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private Tokens tokens() {
    return system.tokens();
  }

  @Test
  void tokenExpiringComesAtOnceWhenLessThanTheLeadRemains() {
    long exp = Tokens.nowSeconds() + 30;
    try (WsTestClient client = system.connect()) {
      JsonObject welcome = client.hello(tokens().validUntil("tl-soon", exp));
      assertEquals(exp, welcome.getLong("exp"));
      assertFields(new JsonObject().put("type", "token_expiring").put("exp", exp),
          client.next("token_expiring", Duration.ofSeconds(5)));
    }
  }

  @Test
  void refreshAnswersRefreshedAndExpiringComesAgainForTheNewToken() {
    long soon = Tokens.nowSeconds() + 30;
    try (WsTestClient client = system.connect()) {
      client.hello(tokens().validUntil("tl-refresh", soon));
      client.next("token_expiring", Duration.ofSeconds(5));

      long later = Tokens.nowSeconds() + 3600;
      client.send(Commands.refresh(tokens().validUntil("tl-refresh", later)));
      assertFields(new JsonObject().put("type", "refreshed").put("exp", later),
          client.next("refreshed"));
      assertNull(client.poll(Duration.ofMillis(300), true), "an hour left: no token_expiring yet");

      long again = Tokens.nowSeconds() + EXPIRING_LEAD_S - 20;
      client.send(Commands.refresh(tokens().validUntil("tl-refresh", again)));
      assertEquals(again, client.next("refreshed").getLong("exp"));
      assertEquals(again, client.next("token_expiring", Duration.ofSeconds(5)).getLong("exp"));
      Conversations.assertAlive(client);
    }
  }

  @Test
  void connectionClosesWith4401OnceExpPlusLeewayPasses() {
    long exp = Tokens.nowSeconds() + 2;
    try (WsTestClient client = system.connect()) {
      client.hello(tokens().validUntil("tl-expire", exp));
      client.next("token_expiring", Duration.ofSeconds(5));
      assertEquals(4401, client.awaitClose(Duration.ofSeconds(20)));
      long closedAt = System.currentTimeMillis();
      assertTrue(closedAt >= exp * 1000 + LEEWAY_MS - TOLERANCE_MS,
          "not before exp + leeway: closed " + (closedAt - exp * 1000) + " ms after exp");
    }
  }

  @Test
  void refreshBeforeExpiryKeepsTheConnection() {
    long exp = Tokens.nowSeconds() + 2;
    try (WsTestClient client = system.connect()) {
      client.hello(tokens().validUntil("tl-keep", exp));
      long later = Tokens.nowSeconds() + 3600;
      client.send(Commands.refresh(tokens().validUntil("tl-keep", later)));
      client.skipUntil("refreshed", WsTestClient.WAIT);
      long deadline = exp * 1000 + LEEWAY_MS + 1500;
      long waitMs = Math.max(0, deadline - System.currentTimeMillis());
      // Past the old exp + leeway, only a bug would close it (poll fails on a close).
      while (client.poll(Duration.ofMillis(waitMs), true) != null) {
        waitMs = Math.max(0, deadline - System.currentTimeMillis());
      }
      Conversations.assertAlive(client);
    }
  }

  @Test
  void refreshForAnotherSubCloses4401() {
    try (WsTestClient client = system.connect()) {
      client.hello(tokens().valid("tl-alice"));
      client.send(Commands.refresh(tokens().valid("tl-mallory")));
      assertEquals(4401, client.awaitClose());
    }
  }

  @Test
  void refreshWithAnInvalidTokenCloses4401() {
    for (Tokens.Bad bad : tokens().badKinds("tl-bad")) {
      if (bad.token().isEmpty()) {
        continue; // an empty token may count as a missing field (bad_request); not specified
      }
      try (WsTestClient client = system.connect()) {
        client.hello(tokens().valid("tl-bad"));
        client.send(Commands.refresh(bad.token()));
        assertEquals(4401, client.awaitClose(), "refresh with " + bad.kind());
      }
    }
  }
}
