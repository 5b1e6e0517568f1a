package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCacheTest {

  private static Frame frame(long seq) {
    return new Frame("t", "e", seq, "id" + seq, FrameKind.CHUNK, 0, null, null);
  }

  private static List<Long> seqs(List<Frame> frames) {
    return frames.stream().map(Frame::seq).toList();
  }

  @Test
  void keepsTheLastFramesContiguously() {
    FrameCache cache = new FrameCache(3);
    assertFalse(cache.has(1));
    for (long s = 1; s <= 5; s++) {
      cache.add(frame(s));
    }
    assertFalse(cache.has(2));
    assertTrue(cache.has(3));
    assertTrue(cache.has(5));
    assertFalse(cache.has(6));
    assertEquals(List.of(3L, 4L, 5L), seqs(cache.range(3, 100)));
    assertEquals(List.of(4L), seqs(cache.range(4, 4)));
  }

  @Test
  void aFrameThatDoesNotFollowRestartsTheCache() {
    FrameCache cache = new FrameCache(3);
    cache.add(frame(1));
    cache.add(frame(2));
    cache.add(frame(7));
    assertFalse(cache.has(2));
    assertEquals(List.of(7L), seqs(cache.range(7, 10)));
  }
}
