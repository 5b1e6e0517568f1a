package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.config.Settings;

/** Maps a user-scoped thread to its shard with a hash that is stable across JVMs and versions. */
public final class Shards {

  /** Default number of shards: the registry's {@code RELAY_SHARDS} default. */
  public static final int DEFAULT_COUNT = Settings.SHARDS.intDefault();

  private Shards() {}

  public static int shardOf(ThreadKey key, int shardCount) {
    // The hash of key.asString() (sub NUL thread), computed without building it: every ack,
    // append and delivery routes by shard, on both sides of the bus.
    int hash = fnv1a(FNV_OFFSET, key.sub());
    hash *= FNV_PRIME; // the NUL between sub and thread (hash ^ 0 == hash)
    return Math.floorMod(fnv1a(hash, key.thread()), shardCount);
  }

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  /** 32-bit FNV-1a over UTF-8: String.hashCode would do too, but this one is documented. */
  static int fnv1a(String s) {
    return fnv1a(FNV_OFFSET, s);
  }

  /**
   * Continues {@code hash} over the UTF-8 bytes of {@code s}, exactly as
   * {@code s.getBytes(UTF_8)} encodes it (a lone surrogate is {@code '?'}), without the array.
   */
  private static int fnv1a(int hash, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        hash = (hash ^ c) * FNV_PRIME;
      } else if (c < 0x800) {
        hash = (hash ^ (0xC0 | (c >> 6))) * FNV_PRIME;
        hash = (hash ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        hash = (hash ^ (0xF0 | (cp >> 18))) * FNV_PRIME;
        hash = (hash ^ (0x80 | ((cp >> 12) & 0x3F))) * FNV_PRIME;
        hash = (hash ^ (0x80 | ((cp >> 6) & 0x3F))) * FNV_PRIME;
        hash = (hash ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
      } else if (Character.isSurrogate(c)) {
        hash = (hash ^ '?') * FNV_PRIME;
      } else {
        hash = (hash ^ (0xE0 | (c >> 12))) * FNV_PRIME;
        hash = (hash ^ (0x80 | ((c >> 6) & 0x3F))) * FNV_PRIME;
        hash = (hash ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      }
    }
    return hash;
  }
}
