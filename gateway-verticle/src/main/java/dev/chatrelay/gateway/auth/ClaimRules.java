package dev.chatrelay.gateway.auth;

import dev.chatrelay.protocol.wire.FieldRules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The claim checks of PROTOCOL.md on a token whose signature is already verified: {@code sub}
 * and {@code exp} required, {@code nbf} when present, {@code iss}/{@code aud} when configured,
 * all time checks with the leeway. Pure: the time is passed in.
 */
public final class ClaimRules {

  private final String issuer;
  private final String audience;
  private final long leewayMs;

  public ClaimRules(String issuer, String audience, long leewayMs) {
    this.issuer = issuer;
    this.audience = audience;
    this.leewayMs = leewayMs;
  }

  /** The verified identity, or an {@link InvalidTokenException} naming the failed check. */
  public VerifiedToken check(JsonObject claims, long nowMs) {
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      throw new InvalidTokenException("sub missing");
    }
    Long exp = seconds(claims.getValue("exp"));
    if (exp == null) {
      throw new InvalidTokenException("exp missing or not a number");
    }
    if (nowMs > exp * 1000 + leewayMs) {
      throw new InvalidTokenException("expired");
    }
    if (claims.getValue("nbf") != null) {
      Long nbf = seconds(claims.getValue("nbf"));
      if (nbf == null) {
        throw new InvalidTokenException("nbf not a number");
      }
      if (nbf * 1000 > nowMs + leewayMs) {
        throw new InvalidTokenException("not yet valid (nbf)");
      }
    }
    if (issuer != null && !issuer.equals(claims.getValue("iss"))) {
      throw new InvalidTokenException("wrong issuer");
    }
    if (audience != null && !audienceMatches(claims.getValue("aud"))) {
      throw new InvalidTokenException("wrong audience");
    }
    return new VerifiedToken(sub, exp);
  }

  private boolean audienceMatches(Object aud) {
    if (aud instanceof String s) {
      return audience.equals(s);
    }
    return aud instanceof JsonArray array && array.contains(audience);
  }

  /** A NumericDate: whole or fractional seconds; fractions are cut (RFC 7519 allows them). */
  private static Long seconds(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) && Math.abs(d) < 0x1p53 ? (long) Math.floor(d) : null;
    }
    Long whole = FieldRules.integral(value);
    return whole != null && Math.abs(whole) < Long.MAX_VALUE / 1000 ? whole : null;
  }
}
