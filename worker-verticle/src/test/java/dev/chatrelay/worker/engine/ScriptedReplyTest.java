package dev.chatrelay.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedReplyTest {

  @Test
  void replyEchoesTheText() {
    assertEquals("echo: hi there", ScriptedReply.replyTo("hi there"));
  }

  @Test
  void failsOnlyOnTextsStartingWithFail() {
    assertTrue(ScriptedReply.failsOn("/fail"));
    assertTrue(ScriptedReply.failsOn("/failure please"));
    assertFalse(ScriptedReply.failsOn(" /fail"));
    assertFalse(ScriptedReply.failsOn("please /fail"));
  }

  @Test
  void longReplySplitsIntoTheConfiguredCountOfNearEqualChunks() {
    String reply = ScriptedReply.replyTo("the quick brown fox jumps");
    List<String> chunks = ScriptedReply.chunks(reply, 8);
    assertEquals(8, chunks.size());
    assertEquals(reply, String.join("", chunks));
    int min = chunks.stream().mapToInt(String::length).min().orElseThrow();
    int max = chunks.stream().mapToInt(String::length).max().orElseThrow();
    assertTrue(max - min <= 1, "chunk sizes differ by at most one: " + chunks);
  }

  @Test
  void shortReplyHasOneChunkPerCharacter() {
    assertEquals(List.of("a", "b", "c"), ScriptedReply.chunks("abc", 8));
    assertEquals(List.of("e", "c", "h", "o", ":", " "), ScriptedReply.chunks(ScriptedReply.replyTo(""), 8));
  }

  @Test
  void oneChunkHoldsTheWholeReply() {
    assertEquals(List.of("echo: x"), ScriptedReply.chunks("echo: x", 1));
  }

  @Test
  void nonBmpCharactersAreNeverSplit() {
    String grin = "\uD83D\uDE00"; // one code point, two chars
    String reply = grin + grin + grin;
    assertEquals(List.of(grin, grin, grin), ScriptedReply.chunks(reply, 8));
    List<String> two = ScriptedReply.chunks("a" + grin + "b" + grin + "c", 2);
    assertEquals(List.of("a" + grin, "b" + grin + "c"), two);
    for (int max = 1; max <= 10; max++) {
      for (String chunk : ScriptedReply.chunks("x" + grin + "y" + grin + grin + "z", max)) {
        assertFalse(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)),
            "chunk ends inside a surrogate pair: max=" + max);
        assertFalse(Character.isLowSurrogate(chunk.charAt(0)),
            "chunk starts inside a surrogate pair: max=" + max);
      }
    }
  }

  @Test
  void refusesZeroChunks() {
    assertThrows(IllegalArgumentException.class, () -> ScriptedReply.chunks("abc", 0));
  }
}
