package dev.chatrelay.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.gateway.TestTokens;
import dev.chatrelay.gateway.TestTokens.KeyPairSigner;
import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every token rule of PROTOCOL.md against the real vertx-auth-jwt, with a fixed clock. */
@ExtendWith(VertxExtension.class)
class TokenVerifierTest {

  private static final long NOW_S = 1_800_000_000L;
  private static final Clock CLOCK = () -> NOW_S * 1000;

  @TempDir
  Path dir;

  private static TokenVerifier verifier(Vertx vertx, Map<String, Object> extra) {
    Map<String, Object> values = new HashMap<>(Map.of(GatewayConfig.JWT_HS256_SECRET, TestTokens.SECRET));
    values.putAll(extra);
    return new TokenVerifier(vertx, GatewayConfig.from(ConfigSource.of(values)), CLOCK);
  }

  private static JsonObject claims(String sub, long expS) {
    return new JsonObject().put("sub", sub).put("exp", expS);
  }

  private static VerifiedToken ok(TokenVerifier v, String token) {
    return v.verify(token).await();
  }

  private static String rejected(TokenVerifier v, String token) {
    Exception e = assertThrows(Exception.class, () -> v.verify(token).await(), "accepted: " + token);
    return assertInstanceOf(InvalidTokenException.class, e).getMessage();
  }

  @Test
  void acceptsAValidHs256Token(Vertx vertx) {
    VerifiedToken t = ok(verifier(vertx, Map.of()), TestTokens.hs256(claims("alice", NOW_S + 60)));
    assertEquals(new VerifiedToken("alice", NOW_S + 60), t);
  }

  @Test
  void refusesAlgNoneInEveryShape(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of());
    JsonObject c = claims("alice", NOW_S + 60);
    rejected(v, TestTokens.none(c, null));
    rejected(v, TestTokens.none(c, ""));
    assertEquals("algorithm not accepted: none", rejected(v, TestTokens.none(c, "c2ln")));
  }

  @Test
  void refusesAlgorithmsNotConfigured(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of());
    JsonObject c = claims("alice", NOW_S + 60);
    assertEquals("algorithm not accepted: HS512",
        rejected(v, TestTokens.hmac("HS512", "HmacSHA512", TestTokens.SECRET, c)));
    assertEquals("algorithm not accepted: RS256", rejected(v, KeyPairSigner.rs256().sign(vertx, c)));
  }

  @Test
  void refusesAWrongKeyAndATamperedPayload(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of());
    JsonObject c = claims("alice", NOW_S + 60);
    rejected(v, TestTokens.hmac("HS256", "HmacSHA256", "some-other-secret-some-other-secret", c));
    String[] parts = TestTokens.hs256(c).split("\\.");
    rejected(v, parts[0] + "." + TestTokens.segment(claims("mallory", NOW_S + 60)) + "." + parts[2]);
  }

  @Test
  void appliesExpAndNbfWithTheLeeway(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of());
    ok(v, TestTokens.hs256(claims("a", NOW_S - 5)));
    assertEquals("expired", rejected(v, TestTokens.hs256(claims("a", NOW_S - 6))));
    ok(v, TestTokens.hs256(claims("a", NOW_S + 60).put("nbf", NOW_S + 5)));
    assertEquals("not yet valid (nbf)", rejected(v, TestTokens.hs256(claims("a", NOW_S + 60).put("nbf", NOW_S + 6))));
  }

  @Test
  void requiresSubAndExp(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of());
    assertEquals("sub missing", rejected(v, TestTokens.hs256(new JsonObject().put("exp", NOW_S + 60))));
    assertEquals("sub missing", rejected(v, TestTokens.hs256(claims("", NOW_S + 60))));
    assertEquals("sub missing", rejected(v, TestTokens.hs256(new JsonObject().put("sub", 5).put("exp", NOW_S + 60))));
    rejected(v, TestTokens.hs256(new JsonObject().put("sub", "a")));
    rejected(v, TestTokens.hs256(new JsonObject().put("sub", "a").put("exp", "tomorrow")));
  }

  @Test
  void refusesGarbage(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of());
    for (String token : new String[] {null, "", "garbage", "a.b", "a.b.c", "e30.e30.", "!!!.###.$$$"}) {
      rejected(v, token);
    }
  }

  @Test
  void checksIssuerAndAudienceWhenConfigured(Vertx vertx) {
    TokenVerifier v = verifier(vertx, Map.of(GatewayConfig.JWT_ISSUER, "https://issuer", GatewayConfig.JWT_AUDIENCE, "relay"));
    JsonObject c = claims("a", NOW_S + 60);
    ok(v, TestTokens.hs256(c.copy().put("iss", "https://issuer").put("aud", "relay")));
    ok(v, TestTokens.hs256(c.copy().put("iss", "https://issuer").put("aud", new JsonArray().add("x").add("relay"))));
    assertEquals("wrong issuer", rejected(v, TestTokens.hs256(c.copy().put("aud", "relay"))));
    assertEquals("wrong audience", rejected(v, TestTokens.hs256(c.copy().put("iss", "https://issuer").put("aud", "other"))));
  }

  @Test
  void verifiesRs256AndEs256WithThePublicKeyFile(Vertx vertx) throws IOException {
    KeyPairSigner rsa = KeyPairSigner.rs256();
    KeyPairSigner ec = KeyPairSigner.es256();
    Path pem = TestTokens.pemFile(dir, rsa.publicPem, ec.publicPem);
    TokenVerifier v = new TokenVerifier(vertx,
        GatewayConfig.from(ConfigSource.of(Map.of(GatewayConfig.JWT_PUBLIC_KEYS, pem.toString()))), CLOCK);
    JsonObject c = claims("alice", NOW_S + 60);
    assertEquals("alice", ok(v, rsa.sign(vertx, c)).sub());
    assertEquals("alice", ok(v, ec.sign(vertx, c)).sub());
    rejected(v, KeyPairSigner.es256().sign(vertx, c)); // another EC key
    rejected(v, KeyPairSigner.rs256().sign(vertx, c)); // another RSA key
    assertEquals("algorithm not accepted: HS256", rejected(v, TestTokens.hs256(c)));
  }
}
