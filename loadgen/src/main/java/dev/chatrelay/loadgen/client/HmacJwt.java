package dev.chatrelay.loadgen.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 JWTs (RFC 7519) with javax.crypto only: signs the driver's tokens, verifies in RawPushServer. */
public final class HmacJwt {

  private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /** {@code secret} as UTF-8 bytes, like {@code RELAY_JWT_HS256_SECRET}. */
  public HmacJwt(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("HS256 secret must not be empty");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** A token for {@code sub}, issued now and expiring at {@code expEpochSeconds}. */
  public String sign(String sub, long issuedAtEpochSeconds, long expEpochSeconds) {
    String payload = "{\"sub\":" + quoted(sub) + ",\"iat\":" + issuedAtEpochSeconds
        + ",\"exp\":" + expEpochSeconds + "}";
    String signingInput = HEADER + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + b64(mac(signingInput));
  }

  /** True when {@code token} is a three-part JWT whose HS256 signature matches this key. */
  public boolean verify(String token) {
    int last = token.lastIndexOf('.');
    if (last < 0 || token.indexOf('.') == last) {
      return false;
    }
    byte[] given;
    try {
      given = DECODER.decode(token.substring(last + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, mac(token.substring(0, last)));
  }

  /** The decoded payload JSON of a token, not verified. */
  public static String payloadJson(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a JWT: expected three parts");
    }
    return new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
  }

  private byte[] mac(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, b);
    return b.append('"').toString();
  }
}
