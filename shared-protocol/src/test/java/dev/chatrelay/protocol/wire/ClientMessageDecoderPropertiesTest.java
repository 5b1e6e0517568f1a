package dev.chatrelay.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.chatrelay.protocol.wire.DecodeResult.Command;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** Properties of the decoder over random input, seeded per repetition so failures reproduce. */
class ClientMessageDecoderPropertiesTest {

  private static final String THREAD_CHARS = "abcXYZ019._:-";

  @RepeatedTest(200)
  void neverThrowsOnArbitraryText(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    String text = random.nextBoolean() ? randomString(random, 40) : mutatedCommand(random);
    assertNotNull(ClientMessageDecoder.decode(text));
  }

  @RepeatedTest(200)
  void validSendsRoundTrip(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    String thread = fromAlphabet(random, THREAD_CHARS, 1 + random.nextInt(128));
    String id = printableAscii(random, 1 + random.nextInt(64));
    String text = randomString(random, 1 + random.nextInt(200));
    String wire = new JsonObject().put("type", "send").put("thread", thread).put("id", id)
        .put("text", text).encode();
    assertEquals(new Command(new ClientMessage.Send(thread, id, text)), ClientMessageDecoder.decode(wire));
  }

  @RepeatedTest(100)
  void acksKeepAnyNonNegativeSeq(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    long seq = random.nextLong() & Long.MAX_VALUE;
    String wire = new JsonObject().put("type", "ack").put("thread", "t").put("seq", seq).encode();
    assertEquals(new Command(new ClientMessage.Ack("t", seq)), ClientMessageDecoder.decode(wire));
  }

  @RepeatedTest(100)
  void utf8LengthMatchesTheEncoder(RepetitionInfo repetition) {
    String text = randomString(new Random(repetition.getCurrentRepetition()), 100);
    String wellFormed = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertEquals(wellFormed.getBytes(StandardCharsets.UTF_8).length, FieldRules.utf8Length(wellFormed));
  }

  /** Any UTF-16 code units, surrogates and controls included. */
  private static String randomString(Random random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (0x20 + random.nextInt(0x5F)));
    }
    return sb.toString();
  }

  /** A valid command with one character replaced: exercises the half-valid JSON paths. */
  private static String mutatedCommand(Random random) {
    String base = "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m\",\"text\":\"hi\",\"resume\":[{\"after\":1}]}";
    char[] chars = base.toCharArray();
    chars[random.nextInt(chars.length)] = "{}[]\":,0-1a ".charAt(random.nextInt(12));
    return new String(chars);
  }

  private static String printableAscii(Random random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) (0x20 + random.nextInt(0x5F)));
    }
    return sb.toString();
  }

  private static String fromAlphabet(Random random, String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
