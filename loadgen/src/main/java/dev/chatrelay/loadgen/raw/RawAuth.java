package dev.chatrelay.loadgen.raw;

import dev.chatrelay.loadgen.client.HmacJwt;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Token check of the raw push server: HS256 signature and exp when a secret is set, else decode only. */
final class RawAuth {

  /** The claims the server uses. */
  record Claims(String sub, long exp) {
  }

  private final HmacJwt jwt;

  /** {@code secret} null: tokens are decoded, not verified (a baseline, never an auth server). */
  RawAuth(String secret) {
    this.jwt = secret == null ? null : new HmacJwt(secret);
  }

  /** The claims of a valid token, or null. */
  Claims check(String token) {
    try {
      if (jwt != null && !jwt.verify(token)) {
        return null;
      }
      JsonObject payload = new JsonObject(HmacJwt.payloadJson(token));
      String sub = payload.getString("sub");
      long exp = payload.getLong("exp", 0L);
      if (sub == null || sub.isEmpty() || (jwt != null && exp * 1000 < System.currentTimeMillis())) {
        return null;
      }
      return new Claims(sub, exp);
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }
}
