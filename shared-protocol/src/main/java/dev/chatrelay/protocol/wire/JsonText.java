package dev.chatrelay.protocol.wire;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A small JSON writer for the server messages sent once per frame, where Jackson's per-call
 * setup (an {@code IOContext}, a generator, a copied {@link JsonObject}) was the largest
 * allocation and a sixth of the relay loop's time (JFR). Output is the same JSON Jackson
 * writes for these values: strings escaped the way Jackson escapes them (quote, backslash and
 * control characters; everything else as is), numbers and booleans as literals. Values of
 * other types (nested objects, arrays) are handed to Jackson.
 */
public final class JsonText {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder out;
  private boolean first = true;

  private JsonText(int capacity) {
    this.out = new StringBuilder(capacity);
    out.append('{');
  }

  /** A JSON object under construction; {@code capacity} is a size hint in characters. */
  public static JsonText object(int capacity) {
    return new JsonText(capacity);
  }

  public JsonText put(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      string(out, value);
    }
    return this;
  }

  public JsonText put(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  /** Every entry of {@code object} as the value of {@code name}. */
  public JsonText put(String name, JsonObject object) {
    name(name);
    object(out, object);
    return this;
  }

  /** The finished object as text. */
  public String encode() {
    return out.append('}').toString();
  }

  private void name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    string(out, name);
    out.append(':');
  }

  private static void object(StringBuilder out, JsonObject object) {
    out.append('{');
    boolean firstEntry = true;
    for (Map.Entry<String, Object> e : object) {
      if (!firstEntry) {
        out.append(',');
      }
      firstEntry = false;
      string(out, e.getKey());
      out.append(':');
      value(out, e.getValue());
    }
    out.append('}');
  }

  private static void value(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(out, s);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof Byte || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof JsonObject o) {
      object(out, o);
    } else {
      out.append(Json.encode(v)); // arrays, floating point, anything rarer: Jackson's form
    }
  }

  /** {@code s} as a JSON string literal, escaped as Jackson does by default. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append(s, start, s.length()).append('"');
  }
}
