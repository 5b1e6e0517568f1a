package dev.chatrelay.protocol.config;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One configuration value: its {@code RELAY_*} name, type, default, bounds, the roles that read
 * it, whether it is a secret, and one line of documentation. Declared once, in {@link Settings}.
 *
 * @param name     the environment variable, e.g. {@code RELAY_BUS_TIMEOUT_MS}
 * @param type     how the value is parsed
 * @param fallback the default as it would be written in the environment; null = none
 * @param shown    the default as the README shows it (differs from {@code fallback} when the
 *                 default is computed at start, e.g. "cores")
 * @param min      smallest accepted value ({@link Type#INTEGER} only)
 * @param max      largest accepted value ({@link Type#INTEGER} only)
 * @param readers  the parts of the system that read it
 * @param secret   never logged or printed
 * @param doc      one line: what it does
 */
public record Setting(String name, Type type, String fallback, String shown, long min, long max,
    Set<Reader> readers, boolean secret, String doc) {

  /** How a value is parsed. */
  public enum Type {
    INTEGER, BOOLEAN, TEXT;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Who reads a setting: the launcher (process-wide) or one of the three roles. */
  public enum Reader {
    LAUNCHER, GATEWAY, RELAY, WORKER;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Setting {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
    if (!name.matches("RELAY_[A-Z0-9_]+")) {
      throw new IllegalArgumentException("setting names are RELAY_ + upper case: " + name);
    }
    if (readers.isEmpty()) {
      throw new IllegalArgumentException(name + ": nobody reads it");
    }
    readers = Set.copyOf(readers);
    if (shown == null) {
      shown = fallback == null ? "none" : fallback;
    }
    if (type == Type.INTEGER && fallback != null) {
      long v = Long.parseLong(fallback);
      if (v < min || v > max) {
        throw new IllegalArgumentException(name + ": default " + v + " outside " + min + ".." + max);
      }
    }
  }

  /** An integer with a fixed default and bounds. */
  public static Setting integer(String name, long fallback, long min, long max, String doc,
      Reader... readers) {
    return new Setting(name, Type.INTEGER, Long.toString(fallback), null, min, max, set(readers),
        false, doc);
  }

  /** A boolean ({@code true/false/1/0/yes/no/on/off}). */
  public static Setting flag(String name, boolean fallback, String doc, Reader... readers) {
    return new Setting(name, Type.BOOLEAN, Boolean.toString(fallback), null, 0, 0, set(readers),
        false, doc);
  }

  /** Free text; {@code fallback} null = unset by default. */
  public static Setting text(String name, String fallback, String doc, Reader... readers) {
    return new Setting(name, Type.TEXT, fallback, null, 0, 0, set(readers), false, doc);
  }

  /** A secret text with no default: never logged. */
  public static Setting secret(String name, String doc, Reader... readers) {
    return new Setting(name, Type.TEXT, null, null, 0, 0, set(readers), true, doc);
  }

  /** A copy whose README default reads {@code text} (computed defaults, "none = off" hints). */
  public Setting shownAs(String text) {
    return new Setting(name, type, fallback, text, min, max, readers, secret, doc);
  }

  /** A copy with no fixed default: the reader computes it at start ({@code text} says how). */
  public Setting computed(String text) {
    return new Setting(name, type, null, text, min, max, readers, secret, doc);
  }

  public boolean readBy(Reader reader) {
    return readers.contains(reader);
  }

  /** The fixed default as a number; fails for settings without one. */
  public long longDefault() {
    requireType(Type.INTEGER);
    if (fallback == null) {
      throw new IllegalStateException(name + " has no fixed default");
    }
    return Long.parseLong(fallback);
  }

  public int intDefault() {
    return Math.toIntExact(longDefault());
  }

  public boolean boolDefault() {
    requireType(Type.BOOLEAN);
    return Boolean.parseBoolean(fallback);
  }

  /** "1..600000", or "" for non-numbers. */
  public String bounds() {
    return type == Type.INTEGER ? min + ".." + max : "";
  }

  void requireType(Type expected) {
    if (type != expected) {
      throw new IllegalStateException(name + " is " + type.wire() + ", not " + expected.wire());
    }
  }

  private static Set<Reader> set(Reader... readers) {
    return readers.length == 0 ? Set.of() : EnumSet.of(readers[0], readers);
  }
}
