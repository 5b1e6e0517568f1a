package dev.chatrelay.it;

import dev.chatrelay.protocol.testing.JwtSigner;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

/**
 * Builds JWTs by hand, good and bad, so every rejection path of the gateway can be reached:
 * HS256 with the test secret, RS256/ES256 with keys generated here, and each broken kind.
 */
public final class Tokens {

  /** HS256 secret of the test systems (RELAY_JWT_HS256_SECRET). */
  public static final String SECRET = "integration-test-secret-0123456789abcdef";
  /** Default lifetime of a valid test token. */
  public static final long VALID_SECONDS = 3600;

  private final byte[] secret;

  public Tokens(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  public static Tokens standard() {
    return new Tokens(SECRET);
  }

  public static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /** Claims {@code sub} and {@code exp}; {@code iat} too, as issuers add it. */
  public static JsonObject claims(String sub, long exp) {
    return new JsonObject().put("sub", sub).put("iat", nowSeconds()).put("exp", exp);
  }

  public String valid(String sub) {
    return hs256(claims(sub, nowSeconds() + VALID_SECONDS));
  }

  public String validUntil(String sub, long exp) {
    return hs256(claims(sub, exp));
  }

  public String hs256(JsonObject claims) {
    return sign(header("HS256"), claims, secret);
  }

  // ---- the bad kinds ----

  /** Unsigned: {@code alg: none} and an empty signature. */
  public String algNone(String sub) {
    return encodeUnsigned(claims(sub, nowSeconds() + VALID_SECONDS));
  }

  public static String encodeUnsigned(JsonObject claims) {
    return encode(header("none")) + "." + encode(claims) + ".";
  }

  /** Well formed, signed with another HS256 key. */
  public String wrongKey(String sub) {
    return sign(header("HS256"), claims(sub, nowSeconds() + VALID_SECONDS),
        "another-secret-another-secret-0123456789".getBytes(StandardCharsets.UTF_8));
  }

  /** Expired a minute ago: beyond the 5 s leeway. */
  public String expired(String sub) {
    return hs256(claims(sub, nowSeconds() - 60));
  }

  /** {@code nbf} a minute ahead: beyond the 5 s leeway. */
  public String notYetValid(String sub) {
    return hs256(claims(sub, nowSeconds() + VALID_SECONDS).put("nbf", nowSeconds() + 60));
  }

  public String noSub() {
    JsonObject claims = claims("x", nowSeconds() + VALID_SECONDS);
    claims.remove("sub");
    return hs256(claims);
  }

  public String noExp(String sub) {
    JsonObject claims = claims(sub, 0);
    claims.remove("exp");
    return hs256(claims);
  }

  /** Valid signature over a payload with a tampered {@code sub}: signature check must fail. */
  public String tampered(String sub) {
    String[] parts = valid(sub).split("\\.");
    String payload = encode(claims(sub + "-admin", nowSeconds() + VALID_SECONDS));
    return parts[0] + "." + payload + "." + parts[2];
  }

  public static String garbage() {
    return "not-a-jwt";
  }

  /** Every kind that must be refused with 4401 (or HTTP 401), by name. */
  public List<Bad> badKinds(String sub) {
    return List.of(
        new Bad("alg none", algNone(sub)),
        new Bad("wrong key", wrongKey(sub)),
        new Bad("expired", expired(sub)),
        new Bad("nbf in the future", notYetValid(sub)),
        new Bad("no sub", noSub()),
        new Bad("no exp", noExp(sub)),
        new Bad("tampered payload", tampered(sub)),
        new Bad("garbage", garbage()),
        new Bad("empty", ""));
  }

  /** A token that must be refused, with a name for assertion messages. */
  public record Bad(String kind, String token) {}

  // ---- public-key algorithms ----

  public static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String rs256(KeyPair keys, JsonObject claims) {
    return signWith("SHA256withRSA", header("RS256"), claims, keys);
  }

  /** ES256 signatures are the raw r||s pair (P1363), as JOSE requires. */
  public static String es256(KeyPair keys, JsonObject claims) {
    return signWith("SHA256withECDSAinP1363Format", header("ES256"), claims, keys);
  }

  /** Writes the public keys as one PEM file ({@code RELAY_JWT_PUBLIC_KEYS}). */
  public static Path writePem(Path file, PublicKey... keys) {
    StringBuilder pem = new StringBuilder();
    Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    for (PublicKey key : keys) {
      pem.append("-----BEGIN PUBLIC KEY-----\n")
          .append(mime.encodeToString(key.getEncoded()))
          .append("\n-----END PUBLIC KEY-----\n");
    }
    try {
      return Files.writeString(file, pem.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- encoding ----

  public static JsonObject header(String alg) {
    return JwtSigner.header(alg);
  }

  public static String sign(JsonObject header, JsonObject claims, byte[] key) {
    return JwtSigner.hmac(header, claims, "HmacSHA256", key);
  }

  private static String signWith(String algorithm, JsonObject header, JsonObject claims,
      KeyPair keys) {
    String input = encode(header) + "." + encode(claims);
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(keys.getPrivate());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + JwtSigner.base64url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String encode(JsonObject json) {
    return JwtSigner.segment(json);
  }

  /** The decoded payload of a token. */
  public static JsonObject payload(String token) {
    return JwtSigner.payload(token);
  }
}
