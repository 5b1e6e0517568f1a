package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.Settings;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Dev conveniences of the embedded run (all roles, no cluster): with no JWT key configured it
 * generates an HS256 secret and turns the dev token endpoint on unless told otherwise.
 */
public final class EmbeddedMode {

  public static final String HS256_SECRET = Settings.JWT_HS256_SECRET.name();
  public static final String PUBLIC_KEYS = Settings.JWT_PUBLIC_KEYS.name();
  public static final String DEV_TOKENS = Settings.DEV_TOKENS.name();

  /** Random bytes of a generated secret: 256 bits, the HS256 key size. */
  static final int SECRET_BYTES = 32;

  private EmbeddedMode() {}

  /** The configuration to run with, and the generated secret or null. */
  public record Prepared(JsonObject values, String generatedSecret) {}

  public static Prepared prepare(JsonObject values, SecureRandom random) {
    if (present(values, HS256_SECRET) || present(values, PUBLIC_KEYS)) {
      return new Prepared(values, null);
    }
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    JsonObject prepared = values.copy().put(HS256_SECRET, secret);
    if (!present(values, DEV_TOKENS)) {
      prepared.put(DEV_TOKENS, "true");
    }
    return new Prepared(prepared, secret);
  }

  private static boolean present(JsonObject values, String name) {
    Object v = values.getValue(name);
    return v != null && !v.toString().isBlank();
  }
}
