package dev.chatrelay.protocol.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which relay owns a shard: rendezvous (highest random weight) hashing of the shard over the
 * live relay node ids. Every node computes the same owner from the same member set, with no
 * coordination, and when a relay joins or leaves only the shards it gains or loses move (about
 * 1/n of them). A pure function, stable across JVMs and versions.
 */
public final class ShardOwners {

  private ShardOwners() {}

  /** The owner of {@code shard} among {@code nodes}, or null when there is none. */
  public static String ownerOf(int shard, Collection<String> nodes) {
    String best = null;
    long bestScore = 0;
    for (String node : nodes) {
      long score = score(shard, node);
      // Unsigned comparison; equal scores (never seen in practice) go to the smaller id.
      int cmp = best == null ? 1 : Long.compareUnsigned(score, bestScore);
      if (cmp > 0 || (cmp == 0 && node.compareTo(best) < 0)) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  /** The owner of each shard {@code 0 .. shardCount-1}; entries are null when there is no node. */
  public static String[] owners(int shardCount, Collection<String> nodes) {
    String[] owners = new String[shardCount];
    for (int shard = 0; shard < shardCount; shard++) {
      owners[shard] = ownerOf(shard, nodes);
    }
    return owners;
  }

  /** The weight of {@code node} for {@code shard}: 64-bit FNV-1a of both, then a mixer. */
  static long score(int shard, String node) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    for (int i = 0; i < 4; i++) {
      hash ^= (shard >>> (8 * i)) & 0xff;
      hash *= 0x100000001b3L;
    }
    return mix(hash);
  }

  /** The SplitMix64 finalizer: FNV alone spreads nearby inputs (shard 1, 2, ...) poorly. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
