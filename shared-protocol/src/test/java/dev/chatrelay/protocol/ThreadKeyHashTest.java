package dev.chatrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadKeyHashTest {

  /** Bins of a 1,024-bin hash map, as HashMap and ConcurrentHashMap pick them. */
  private static int bin(ThreadKey key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & 1023;
  }

  @Test
  void keysNumberedAlikeSpreadOverManyBins() {
    // The load driver's naming: user and thread carry the same number.
    Map<Integer, Integer> perBin = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      perBin.merge(bin(new ThreadKey("lg-run1-u" + i, "t-run1-" + i)), 1, Integer::sum);
    }
    int fullest = perBin.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertTrue(perBin.size() > 300, "bins used: " + perBin.size());
    assertTrue(fullest < 8, "a bin of 8 becomes a tree: " + fullest);
  }

  @Test
  void equalKeysHashAlikeAndSwappedPartsDiffer() {
    assertEquals(new ThreadKey("a", "b"), new ThreadKey("a", "b"));
    assertEquals(new ThreadKey("a", "b").hashCode(), new ThreadKey("a", "b").hashCode());
    assertNotEquals(new ThreadKey("a", "b"), new ThreadKey("b", "a"));
    assertNotEquals(new ThreadKey("a", "b").hashCode(), new ThreadKey("b", "a").hashCode());
  }
}
