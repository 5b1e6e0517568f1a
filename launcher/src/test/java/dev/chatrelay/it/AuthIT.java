package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Tokens in hello and in the Authorization header, subprotocol and Origin checks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIT {

  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  /** Sends hello and expects a 4401 close with no welcome before it. */
  private void assertRefused(WsTestClient client, JsonObject hello, String what) {
    client.send(hello);
    assertEquals(4401, client.awaitClose(), what);
    assertTrue(client.drainQueued().stream()
        .noneMatch(m -> "welcome".equals(m.getString("type"))), what + ": no welcome");
  }

  @Test
  void everyBadTokenKindInHelloIsClosed4401() {
    for (Tokens.Bad bad : system.tokens().badKinds("auth-bad")) {
      try (WsTestClient client = system.connect()) {
        assertRefused(client, Commands.hello(bad.token()), bad.kind());
      }
    }
  }

  @Test
  void helloWithoutAnyTokenIsClosed4401() {
    try (WsTestClient client = system.connect()) {
      assertRefused(client, Commands.hello(null), "no token");
    }
  }

  @Test
  void tokenInTheQueryStringIsIgnored() {
    String token = system.token("auth-query");
    for (String uri : List.of("/ws?token=" + token, "/ws?access_token=" + token,
        "/ws?jwt=" + token)) {
      try (WsTestClient client = system.connect(WsTestClient.Options.defaults().uri(uri))) {
        assertRefused(client, Commands.hello(null), uri);
      }
    }
  }

  @Test
  void authorizationHeaderAuthenticatesNonBrowserClients() {
    long exp = Tokens.nowSeconds() + 1800;
    String token = system.tokens().validUntil("auth-header", exp);
    try (WsTestClient client = system.connect(WsTestClient.Options.defaults().bearer(token))) {
      client.send(Commands.hello(null));
      assertEquals(exp, client.next("welcome").getLong("exp"));
      Conversations.assertAlive(client);
    }
  }

  @Test
  void badTokenInTheHeaderIsClosed4401() {
    for (Tokens.Bad bad : system.tokens().badKinds("auth-header-bad")) {
      if (bad.token().isEmpty()) {
        continue; // "Bearer " with nothing is no token at all, covered by helloWithoutAnyToken
      }
      try (WsTestClient client = system.connect(
          WsTestClient.Options.defaults().bearer(bad.token()))) {
        assertRefused(client, Commands.hello(null), "header: " + bad.kind());
      }
    }
  }

  @Test
  void helloTokenWinsOverTheHeader() {
    long helloExp = Tokens.nowSeconds() + 1000;
    long headerExp = Tokens.nowSeconds() + 2000;
    String helloToken = system.tokens().validUntil("auth-both", helloExp);
    String headerToken = system.tokens().validUntil("auth-both", headerExp);
    try (WsTestClient client = system.connect(
        WsTestClient.Options.defaults().bearer(headerToken))) {
      assertEquals(helloExp, client.hello(helloToken).getLong("exp"), "hello.token wins");
    }
    try (WsTestClient client = system.connect(
        WsTestClient.Options.defaults().bearer(Tokens.garbage()))) {
      assertEquals(helloExp, client.hello(helloToken).getLong("exp"), "a bad header is unused");
    }
    try (WsTestClient client = system.connect(
        WsTestClient.Options.defaults().bearer(headerToken))) {
      assertRefused(client, Commands.hello(system.tokens().expired("auth-both")),
          "a bad hello token is not rescued by a good header");
    }
  }

  @Test
  void subprotocolRelayV1IsSelectedWhenOffered() {
    try (WsTestClient client = system.connect()) {
      assertEquals("relay.v1", client.subProtocol());
    }
    try (WsTestClient client = system.connect(
        WsTestClient.Options.defaults().subProtocols(List.of("chat.v0", "relay.v1")))) {
      assertEquals("relay.v1", client.subProtocol());
    }
    try (WsTestClient client = system.connect(
        WsTestClient.Options.defaults().subProtocols(List.of()))) {
      assertNull(client.subProtocol(), "no protocol offered: accepted without one");
      client.hello(system.token("auth-noproto"));
    }
  }

  @Test
  void offeringOnlyOtherSubprotocolsIsRefused400() {
    Exception e = assertThrows(Exception.class, () -> system.connect(
        WsTestClient.Options.defaults().subProtocols(List.of("chat.v2"))));
    assertTrue(e instanceof UpgradeRejectedException, e.toString());
    assertEquals(400, ((UpgradeRejectedException) e).getStatus());
  }

  @Test
  void originOffTheAllowListIsRefused403() {
    for (String origin : List.of("http://evil.example", "http://localhost:1",
        "https://localhost:" + system.port())) {
      Exception e = assertThrows(Exception.class, () -> system.connect(
          WsTestClient.Options.defaults().origin(origin)), origin);
      assertTrue(e instanceof UpgradeRejectedException, e.toString());
      assertEquals(403, ((UpgradeRejectedException) e).getStatus(), origin);
    }
  }

  @Test
  void defaultAllowListAcceptsLocalhostAnd127AndNoOrigin() {
    for (String origin : List.of("http://localhost:" + system.port(),
        "http://127.0.0.1:" + system.port())) {
      try (WsTestClient client = system.connect(WsTestClient.Options.defaults().origin(origin))) {
        client.hello(system.token("auth-origin"));
      }
    }
    try (WsTestClient client = system.connect()) {
      client.hello(system.token("auth-no-origin"));
    }
  }

  @Test
  void configuredAllowListAndWildcard() {
    try (TestSystem custom = TestSystem.configure()
        .set("RELAY_ALLOWED_ORIGINS", "https://app.example,https://admin.example")
        .start()) {
      try (WsTestClient client = custom.connect(
          WsTestClient.Options.defaults().origin("https://admin.example"))) {
        client.hello(custom.token("auth-list"));
      }
      Exception e = assertThrows(Exception.class, () -> custom.connect(
          WsTestClient.Options.defaults().origin("http://localhost:" + custom.port())));
      assertEquals(403, ((UpgradeRejectedException) e).getStatus());
    }
    try (TestSystem any = TestSystem.configure().set("RELAY_ALLOWED_ORIGINS", "*").start()) {
      try (WsTestClient client = any.connect(
          WsTestClient.Options.defaults().origin("http://anything.example"))) {
        client.hello(any.token("auth-any"));
      }
    }
  }
}
