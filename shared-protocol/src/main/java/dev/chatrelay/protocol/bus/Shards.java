package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import java.nio.charset.StandardCharsets;

/** Maps a user-scoped thread to its shard with a hash that is stable across JVMs and versions. */
public final class Shards {

  /** Default number of shards (ARCHITECTURE.md). */
  public static final int DEFAULT_COUNT = 64;

  private Shards() {}

  public static int shardOf(ThreadKey key, int shardCount) {
    return Math.floorMod(fnv1a(key.asString()), shardCount);
  }

  /** 32-bit FNV-1a over UTF-8: String.hashCode would do too, but this one is documented. */
  static int fnv1a(String s) {
    int hash = 0x811c9dc5;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    return hash;
  }
}
