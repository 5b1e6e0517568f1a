package dev.chatrelay.protocol.wire;

import dev.chatrelay.protocol.ThreadKey;

/** The field rules of PROTOCOL.md, shared by the WebSocket decoder and the HTTP API. */
public final class FieldRules {

  /** Largest {@code send.text} in UTF-8 bytes; larger answers {@code too_large}. */
  public static final int MAX_TEXT_BYTES = 16_384;
  /** Longest client message id ({@code send.id}, {@code cancel.replyTo}). */
  public static final int MAX_CLIENT_ID_CHARS = 64;

  private FieldRules() {}

  public static boolean isValidThread(String thread) {
    return ThreadKey.isValidThreadId(thread);
  }

  /** A client message id: 1–64 printable ASCII characters (0x20–0x7E). */
  public static boolean isValidClientId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_CLIENT_ID_CHARS) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** A non-empty epoch; epochs are opaque and compared only for equality. */
  public static boolean isValidEpoch(String epoch) {
    return epoch != null && !epoch.isEmpty();
  }

  /** Length of {@code s} in UTF-8 bytes, without encoding it (unpaired surrogates count as '?'). */
  public static int utf8Length(String s) {
    int bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * A JSON number that is a whole number within the range of {@code long}, or null. Floats such
   * as {@code 1e3} count when their value is integral; {@code 1.5}, {@code 1e30} and non-numbers
   * do not.
   */
  public static Long integral(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof java.math.BigInteger b) {
      return b.bitLength() < 64 ? b.longValue() : null;
    }
    if (value instanceof java.math.BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // 2^63 is the first double past Long.MAX_VALUE; doubles beyond 2^53 are integral but imprecise.
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
        return (long) d;
      }
      return null;
    }
    return null;
  }
}
