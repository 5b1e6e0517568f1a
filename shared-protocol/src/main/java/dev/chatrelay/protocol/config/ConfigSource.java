package dev.chatrelay.protocol.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Typed, validated reads of configuration values by their environment-variable names
 * ({@code RELAY_*}). Every invalid value fails with a message naming the variable.
 */
public final class ConfigSource {

  private final JsonObject values;

  public ConfigSource(JsonObject values) {
    this.values = values == null ? new JsonObject() : values;
  }

  public static ConfigSource of(Map<String, ?> values) {
    return new ConfigSource(new JsonObject(Map.copyOf(values)));
  }

  /** The raw value as a trimmed string, or null when unset or blank. */
  public String raw(String name) {
    Object v = values.getValue(name);
    if (v == null) {
      return null;
    }
    String s = v.toString().trim();
    return s.isEmpty() ? null : s;
  }

  public String string(String name, String fallback) {
    String v = raw(name);
    return v == null ? fallback : v;
  }

  public long longValue(String name, long fallback, long min, long max) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(name, v, "an integer");
    }
    if (parsed < min || parsed > max) {
      throw new InvalidConfigException(name, v, "between " + min + " and " + max);
    }
    return parsed;
  }

  public int intValue(String name, int fallback, int min, int max) {
    return (int) longValue(name, fallback, min, max);
  }

  public boolean bool(String name, boolean fallback) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    return switch (v.toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new InvalidConfigException(name, v, "true or false");
    };
  }

  /** A string that must satisfy {@code valid}; {@code expected} says what is accepted. */
  public String checked(String name, String fallback, Predicate<String> valid, String expected) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (!valid.test(v)) {
      throw new InvalidConfigException(name, v, expected);
    }
    return v;
  }

  // --- Reads by registry entry: name, default and bounds come from the one declaration. ---

  /** The raw value of {@code setting} as a trimmed string, or null when unset or blank. */
  public String raw(Setting setting) {
    return raw(setting.name());
  }

  /** The value of a text setting, or its default (null when it has none). */
  public String string(Setting setting) {
    setting.requireType(Setting.Type.TEXT);
    return string(setting.name(), setting.fallback());
  }

  /** An integer setting within its declared bounds, or its fixed default. */
  public long longValue(Setting setting) {
    return longValue(setting, setting.longDefault());
  }

  /** An integer setting within its declared bounds; {@code computed} when unset. */
  public long longValue(Setting setting, long computed) {
    setting.requireType(Setting.Type.INTEGER);
    return longValue(setting.name(), computed, setting.min(), setting.max());
  }

  public int intValue(Setting setting) {
    return Math.toIntExact(longValue(setting));
  }

  public int intValue(Setting setting, int computed) {
    return Math.toIntExact(longValue(setting, computed));
  }

  public boolean bool(Setting setting) {
    setting.requireType(Setting.Type.BOOLEAN);
    return bool(setting.name(), setting.boolDefault());
  }

  /** A text setting that must satisfy {@code valid}; {@code expected} says what is accepted. */
  public String checked(Setting setting, Predicate<String> valid, String expected) {
    setting.requireType(Setting.Type.TEXT);
    return checked(setting.name(), setting.fallback(), valid, expected);
  }

  /** Thrown at start for a value that cannot be used; the message names the variable. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(String name, String value, String expected) {
      super("invalid " + name + "=" + value + ": expected " + expected);
    }

    public InvalidConfigException(String message) {
      super(message);
    }
  }
}
