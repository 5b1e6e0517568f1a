package dev.chatrelay.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  @Test
  void handsOutTheDataOfEachEvent() {
    feed("data: {\"a\":1}\n\ndata: [DONE]\n\n");
    assertEquals(List.of("{\"a\":1}", "[DONE]"), events);
  }

  @Test
  void waitsForTheBlankLineThatEndsAnEvent() {
    feed("data: one\n");
    assertEquals(List.of(), events);
    feed("\n");
    assertEquals(List.of("one"), events);
  }

  @Test
  void acceptsCrLfJoinsDataLinesAndSkipsCommentsAndOtherFields() {
    feed(": keep-alive\r\n\r\nevent: delta\r\nid: 7\r\ndata:first\r\ndata: second\r\nretry: 10\r\n\r\n");
    assertEquals(List.of("first\nsecond"), events);
  }

  @Test
  void reassemblesLinesAndCharactersSplitAtEveryPossibleByte() {
    String body = "data: {\"t\":\"h\u00e9llo \uD83D\uDE00\"}\n\ndata: {\"t\":\"\u4e16\u754c\"}\r\n\r\ndata: [DONE]\n\n";
    List<String> expected = List.of("{\"t\":\"h\u00e9llo \uD83D\uDE00\"}", "{\"t\":\"\u4e16\u754c\"}", "[DONE]");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= bytes.length; split++) {
      List<String> seen = new ArrayList<>();
      SseParser p = new SseParser(seen::add);
      p.feed(Buffer.buffer().appendBytes(bytes, 0, split));
      p.feed(Buffer.buffer().appendBytes(bytes, split, bytes.length - split));
      assertEquals(expected, seen, "split at byte " + split);
    }
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      List<String> seen = new ArrayList<>();
      SseParser p = new SseParser(seen::add);
      int at = 0;
      while (at < bytes.length) {
        int length = Math.min(bytes.length - at, 1 + random.nextInt(5));
        p.feed(Buffer.buffer().appendBytes(bytes, at, length));
        at += length;
      }
      assertEquals(expected, seen, "random split round " + round);
    }
  }

  @Test
  void refusesAnEventLargerThanTheLimit() {
    String half = "data: " + "x".repeat(SseParser.MAX_EVENT_CHARS / 2) + "\n";
    feed(half);
    assertThrows(IllegalStateException.class, () -> feed(half));
  }

  @Test
  void refusesAnEndlessLine() {
    String part = "data: " + "x".repeat(SseParser.MAX_EVENT_CHARS / 2);
    feed(part);
    assertThrows(IllegalStateException.class, () -> feed(part));
  }

  private void feed(String text) {
    parser.feed(Buffer.buffer(text));
  }
}
