package dev.chatrelay.protocol.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void plainIdsStayAsTheyAre() {
    assertEquals("thread-1.a:b_c", LogSafe.of("thread-1.a:b_c"));
    assertEquals("null", LogSafe.of(null));
  }

  @Test
  void aValueCannotForgeALineOrAKeyValuePair() {
    String forged = LogSafe.of("alice\nevent=admin.disconnect sub=bob\r\t\"x\\");
    assertFalse(forged.contains("\n") || forged.contains("\r") || forged.contains(" ")
        || forged.contains("=") || forged.contains("\""), forged);
    assertTrue(forged.startsWith("alice\\u000aevent\\u003dadmin"), forged);
  }

  @Test
  void nonAsciiIsEscapedNotDropped() {
    assertEquals("caf\\u00e9\\u2028", LogSafe.of("café\u2028"));
  }

  @Test
  void longValuesAreCutWithTheirLength() {
    String cut = LogSafe.of("a".repeat(10_000));
    assertEquals("a".repeat(LogSafe.MAX_CHARS) + "...(+" + (10_000 - LogSafe.MAX_CHARS) + " chars)", cut);
  }
}
