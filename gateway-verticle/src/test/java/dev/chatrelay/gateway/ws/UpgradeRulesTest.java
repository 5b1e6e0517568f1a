package dev.chatrelay.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.gateway.auth.BearerToken;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure rules behind the upgrade checks. */
class UpgradeRulesTest {

  @Test
  void subprotocolOfferMustIncludeRelayV1() {
    assertTrue(UpgradeHandler.subprotocolAcceptable(List.of()));
    assertTrue(UpgradeHandler.subprotocolAcceptable(List.of(" ")));
    assertTrue(UpgradeHandler.subprotocolAcceptable(List.of("relay.v1")));
    assertTrue(UpgradeHandler.subprotocolAcceptable(List.of("chat, relay.v1")));
    assertTrue(UpgradeHandler.subprotocolAcceptable(List.of("chat", "relay.v1")));
    assertFalse(UpgradeHandler.subprotocolAcceptable(List.of("chat")));
    assertFalse(UpgradeHandler.subprotocolAcceptable(List.of("relay.v2, Relay.v1")));
  }

  @Test
  void originPolicyAllowsListedAbsentOrAll() {
    OriginPolicy policy = new OriginPolicy(List.of("https://app.example"));
    assertTrue(policy.allows(null));
    assertTrue(policy.allows("https://app.example"));
    assertTrue(policy.allows("HTTPS://App.Example/"));
    assertFalse(policy.allows("https://app.example.evil"));
    assertFalse(policy.allows("null"));
    assertTrue(new OriginPolicy(List.of("*")).allows("http://anything"));
  }

  @Test
  void bearerTokenIsReadFromTheAuthorizationHeaderOnly() {
    assertEquals("abc", BearerToken.from("Bearer abc"));
    assertEquals("abc", BearerToken.from("bearer  abc "));
    assertNull(BearerToken.from(null));
    assertNull(BearerToken.from("Basic abc"));
    assertNull(BearerToken.from("Bearer "));
    assertNull(BearerToken.from("Bearerabc"));
  }
}
