package dev.chatrelay.protocol.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one HMAC JWT signer of the Java tests (test-jar of shared-protocol): HS256 tokens, and
 * any header {@code alg} signed with any HMAC so the bad kinds can be built too. Main code that
 * issues tokens (the gateway's /dev/token, the loadgen driver) has its own.
 */
public final class JwtSigner {

  private JwtSigner() {}

  /** {@code {"alg":alg,"typ":"JWT"}}. */
  public static JsonObject header(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "JWT");
  }

  /** An HS256 token over {@code claims}, keyed with the UTF-8 bytes of {@code secret}. */
  public static String hs256(String secret, JsonObject claims) {
    return hmac(header("HS256"), claims, "HmacSHA256", secret.getBytes(StandardCharsets.UTF_8));
  }

  /** A token with {@code header}, signed by HMAC {@code macAlgorithm} (e.g. HmacSHA512) with {@code key}. */
  public static String hmac(JsonObject header, JsonObject claims, String macAlgorithm, byte[] key) {
    String input = segment(header) + "." + segment(claims);
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(key, macAlgorithm));
      return input + "." + base64url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One JWT segment: the JSON's UTF-8 bytes in base64url without padding. */
  public static String segment(JsonObject json) {
    return base64url(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static String base64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The decoded payload of a token, not verified. */
  public static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
        StandardCharsets.UTF_8));
  }
}
