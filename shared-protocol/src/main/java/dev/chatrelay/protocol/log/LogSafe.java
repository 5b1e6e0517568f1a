package dev.chatrelay.protocol.log;

/**
 * Values that came from a client (JWT {@code alg} and {@code sub}, thread ids, message ids, Origin
 * headers …) as they may appear in a log line: control characters, backslashes, quotes, spaces,
 * {@code =} and anything outside printable ASCII are escaped as {@code \\uXXXX}, so no value can
 * forge a line break or a {@code key=value} pair, and the result is cut to {@link #MAX_CHARS}
 * characters with the original length appended.
 */
public final class LogSafe {

  /** Longest value printed; a longer one is cut and marked {@code …(+N chars)}. */
  public static final int MAX_CHARS = 128;

  private LogSafe() {}

  /** {@code value} escaped and cut; {@code null} prints as {@code null}. */
  public static String of(Object value) {
    if (value == null) {
      return "null";
    }
    String s = value.toString();
    int shown = Math.min(s.length(), MAX_CHARS);
    StringBuilder out = new StringBuilder(shown + 16);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      if (c > 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '=') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (s.length() > shown) {
      out.append("...(+").append(s.length() - shown).append(" chars)");
    }
    return out.toString();
  }
}
