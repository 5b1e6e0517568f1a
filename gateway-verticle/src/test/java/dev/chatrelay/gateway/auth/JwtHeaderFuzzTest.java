package dev.chatrelay.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.gateway.TestTokens;
import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of JWT headers (jqwik; failures print a seed and shrink). A token whose
 * header is anything but {@code alg: HS256} signed with the secret is refused with an
 * {@link InvalidTokenException}; the refusal's message, which the gateway logs, holds no control
 * character and stays short whatever the header holds.
 */
class JwtHeaderFuzzTest {

  private static final long NOW_S = 1_800_000_000L;
  private static Vertx vertx;
  private static TokenVerifier verifier;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    verifier = new TokenVerifier(vertx, GatewayConfig.from(ConfigSource.of(
        Map.of(GatewayConfig.JWT_HS256_SECRET, TestTokens.SECRET))), () -> NOW_S * 1000);
  }

  @AfterContainer
  static void stop() {
    vertx.close().await();
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefusedCleanly(String token) {
    Throwable failure;
    try {
      verifier.verify(token).await();
      throw new AssertionError("accepted: " + token);
    } catch (InvalidTokenException e) {
      failure = e;
    } catch (RuntimeException e) {
      throw new AssertionError("not an InvalidTokenException: " + e, e);
    }
    String message = failure.getMessage();
    // At most LogSafe.MAX_CHARS characters of the alg, each escaped to at most 6.
    assertTrue(message.length() <= 1_000, "message of " + message.length() + " chars");
    assertTrue(message.chars().noneMatch(c -> c < 0x20 || c == 0x7f), "control character in: " + message);
  }

  @Property(tries = 500)
  void anyAlgOtherThanTheConfiguredOneIsRefused(@ForAll("algs") String alg) {
    String claims = new JsonObject().put("sub", "fuzz").put("exp", NOW_S + 60).encode();
    String header = new JsonObject().put("alg", alg).put("typ", "JWT").encode();
    // Signed with the real secret: only the header's alg is wrong.
    String signed = TestTokens.hmac(alg, "HmacSHA256", TestTokens.SECRET, new JsonObject(claims));
    assertRefusedCleanly(signed);
    assertRefusedCleanly(b64(header) + "." + b64(claims) + ".sig");
  }

  @Property(tries = 500)
  void arbitraryHeaderBytesAreRefused(@ForAll("headers") String header) {
    String claims = new JsonObject().put("sub", "fuzz").put("exp", NOW_S + 60).encode();
    assertRefusedCleanly(b64(header) + "." + b64(claims) + ".c2ln");
  }

  @Property(tries = 300)
  void arbitraryTokenShapesAreRefused(@ForAll("shapes") String token) {
    assertRefusedCleanly(token);
  }

  @Provide
  Arbitrary<String> algs() {
    return Arbitraries.oneOf(
        Arbitraries.of("none", "None", "NONE", "hs256", "HS256 ", " HS256", "HS384", "HS512", "RS256",
            "ES256", "PS256", "HS256\n", "HS256\u0000", "EdDSA", ""),
        Arbitraries.strings().ofMaxLength(5_000));
  }

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(2_000),
        Arbitraries.of("{\"alg\":[\"HS256\"]}", "{\"alg\":{\"x\":1}}", "{\"alg\":null}", "[]", "null",
            "{\"alg\":\"HS256\",\"crit\":[\"x\"]}", "{" + "\"a\":{".repeat(3_000) + "}".repeat(3_000) + "}"));
  }

  @Provide
  Arbitrary<String> shapes() {
    return Arbitraries.strings().withChars("abcXYZ019-_.=+/ \n").ofMaxLength(3_000);
  }
}
