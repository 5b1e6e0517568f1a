package dev.chatrelay.launcher.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One log event as one line of JSON: {@code ts}, {@code level}, {@code logger},
 * {@code jvm_thread}, then the message's {@code key=value} pairs ({@code event} first, integers
 * as numbers), then the whole message as {@code msg} and a throwable's stack trace as
 * {@code stack}. A message key that collides with one of those gets the prefix {@code kv_}.
 */
final class JsonLine {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
  private static final Set<String> RESERVED =
      Set.of("ts", "level", "logger", "jvm_thread", "msg", "stack");
  /** Integers without a leading zero that fit a long: written as JSON numbers. */
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

  private JsonLine() {}

  static String render(long timeMillis, String level, String logger, String jvmThread,
      String message, String stack) {
    StringBuilder out = new StringBuilder(128 + (message == null ? 0 : message.length() * 2));
    out.append('{');
    field(out, "ts", TIME.format(Instant.ofEpochMilli(timeMillis)));
    out.append(',');
    field(out, "level", level);
    out.append(',');
    field(out, "logger", logger);
    out.append(',');
    field(out, "jvm_thread", jvmThread);
    for (Map.Entry<String, String> pair : KeyValues.parse(message).entrySet()) {
      String key = RESERVED.contains(pair.getKey()) ? "kv_" + pair.getKey() : pair.getKey();
      out.append(',');
      if (INTEGER.matcher(pair.getValue()).matches()) {
        string(out, key);
        out.append(':').append(pair.getValue());
      } else {
        field(out, key, pair.getValue());
      }
    }
    out.append(',');
    field(out, "msg", message == null ? "" : message);
    if (stack != null) {
      out.append(',');
      field(out, "stack", stack);
    }
    return out.append('}').toString();
  }

  private static void field(StringBuilder out, String key, String value) {
    string(out, key);
    out.append(':');
    string(out, value);
  }

  /** A JSON string: quotes, backslashes and control characters escaped. */
  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
