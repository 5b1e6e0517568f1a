package dev.chatrelay.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.ThreadKey;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The shard of a thread never changes: it must equal FNV-1a over the UTF-8 of {@code sub NUL thread}. */
class ShardsTest {

  @RepeatedTest(500)
  void shardIsFnv1aOfTheUtf8KeyString(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    ThreadKey key = new ThreadKey(randomString(random), randomString(random));
    for (int shards : new int[] {1, 7, 64, 1024}) {
      assertEquals(Math.floorMod(reference(key.asString()), shards), Shards.shardOf(key, shards));
    }
  }

  @Test
  void aKnownKeyKeepsItsShard() {
    // Redis keys carry the shard, and processes of different versions must agree.
    assertEquals(-1417207841, Shards.fnv1a("alice\u0000thread-1"));
    assertEquals(31, Shards.shardOf(new ThreadKey("alice", "thread-1"), 64));
  }

  /** The original definition: FNV-1a over {@code getBytes(UTF_8)}. */
  private static int reference(String s) {
    int hash = 0x811c9dc5;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    return hash;
  }

  /** Any UTF-16 content: ASCII, two- and three-byte characters, pairs and lone surrogates. */
  private static String randomString(Random random) {
    int length = random.nextInt(20);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(5)) {
        case 0 -> s.append((char) random.nextInt(0x80));
        case 1 -> s.append((char) (0x80 + random.nextInt(0x780)));
        case 2 -> s.append("\uD83D\uDE00");
        case 3 -> s.append((char) (0xD800 + random.nextInt(0x800)));
        default -> s.append((char) random.nextInt(0x10000));
      }
    }
    return s.toString();
  }
}
