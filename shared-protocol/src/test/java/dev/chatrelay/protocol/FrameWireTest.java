package dev.chatrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** {@link Frame#toWire()} writes exactly what Jackson writes for the same message, and reads back. */
class FrameWireTest {

  @RepeatedTest(300)
  void wireTextEqualsJacksonsEncoding(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    JsonObject data = new JsonObject()
        .put("text", randomString(random, random.nextInt(60)))
        .put("index", random.nextInt(1000))
        .put("on", random.nextBoolean());
    if (random.nextBoolean()) {
      data.put("nested", new JsonObject().put(randomString(random, 5), randomString(random, 5))
          .put("list", new JsonArray().add(1).add("x").add(2.5)));
    }
    Frame frame = new Frame(randomString(random, 10), "ep-" + random.nextInt(), random.nextLong(),
        randomString(random, 12), FrameKind.values()[random.nextInt(FrameKind.values().length)],
        random.nextLong(), random.nextBoolean() ? null : randomString(random, 8), data);
    assertEquals(jackson(frame, data), frame.toWire());
    assertEquals(data, frame.data(), "the payload reads back from the wire text");
  }

  @Test
  void everyControlCharacterIsEscapedLikeJackson() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    all.append("é€\uD83D\uDE00\uD800/");
    JsonObject data = new JsonObject().put("text", all.toString()).put("d", 1.5)
        .put("n", (Object) null);
    Frame frame = new Frame("t", "e", 1, "i", FrameKind.CHUNK, 2, "r", data);
    assertEquals(jackson(frame, data), frame.toWire());
  }

  /** The frame message as Jackson encodes it, built field by field as PROTOCOL.md lists them. */
  private static String jackson(Frame f, JsonObject data) {
    JsonObject json = new JsonObject().put("type", "frame").put("thread", f.thread())
        .put("epoch", f.epoch()).put("seq", f.seq()).put("id", f.id()).put("kind", f.kind().wire())
        .put("ts", f.ts());
    if (f.replyTo() != null) {
      json.put("replyTo", f.replyTo());
    }
    return json.put("data", data).encode();
  }

  /** Any UTF-16 content, control characters, quotes and lone surrogates included. */
  private static String randomString(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> s.append((char) random.nextInt(0x20));
        case 1 -> s.append("\"\\/'".charAt(random.nextInt(4)));
        case 2 -> s.append((char) (0x20 + random.nextInt(0x60)));
        default -> s.append((char) random.nextInt(0x10000));
      }
    }
    return s.toString();
  }

  /** A store that kept the wire text gets the same frame back without encoding it again. */
  @Test
  void aFrameRebuiltFromItsWireTextEqualsTheOriginal() {
    Frame original = new Frame("t1", "e1", 7, "s1:2", FrameKind.CHUNK, 1234, "s1",
        new JsonObject().put("text", "é—🙂").put("index", 2));
    Frame rebuilt = Frame.ofWire("t1", "e1", 7, "s1:2", FrameKind.CHUNK, 1234, "s1",
        original.toWire());
    assertEquals(original, rebuilt);
    assertEquals(original.toWire(), rebuilt.toWire());
    assertEquals(original.data(), rebuilt.data());
    org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
        () -> Frame.ofWire("t1", "e1", 7, "s1:2", FrameKind.CHUNK, 1234, null, null));
  }
}
