package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the Redis keys (layout in {@link RedisJournal}). Every key of a shard carries the hash
 * tag {@code {s<shard>}}, so a thread's keys and its shard's fence sit in one Redis Cluster slot
 * and one script may touch them all.
 */
final class RedisKeys {

  private final String prefix;
  private final int shards;

  RedisKeys(String prefix, int shards) {
    this.prefix = prefix;
    this.shards = shards;
  }

  /**
   * The keys of one user-scoped thread, plus its shard's fence: {@code log} holds conversation
   * frames, {@code tok} token frames, {@code ends} the replies that ended.
   */
  record ThreadKeys(int shard, String meta, String log, String idem, String fence, String tok,
      String ends) {

    /** meta, log, tok, idem, ends: the order the scripts take them in. */
    java.util.List<String> all() {
      return java.util.List.of(meta, log, tok, idem, ends);
    }
  }

  /** The fence, holder (node id of the last claimant) and pending-job keys of one shard. */
  record ShardKeys(int shard, String fence, String jobs, String jobOrder, String jobCounter,
      String holder) {}

  int shardOf(ThreadKey key) {
    return Shards.shardOf(key, shards);
  }

  ThreadKeys thread(ThreadKey key) {
    int shard = shardOf(key);
    String base = tag(shard) + "t:" + threadId(key) + ":";
    return new ThreadKeys(shard, base + "meta", base + "log", base + "idem", tag(shard) + "fence",
        base + "tok", base + "ends");
  }

  ShardKeys shard(int shard) {
    String tag = tag(shard);
    return new ShardKeys(shard, tag + "fence", tag + "jobs", tag + "jobq", tag + "jobn",
        tag + "holder");
  }

  /** The sorted set of live relays (node id by expiry), outside every shard's slot. */
  String relays() {
    return prefix + "relays";
  }

  /** Field of a pending job in the shard's job hash: thread id and job id, unique per shard. */
  static String pendingField(ThreadKey key, String job) {
    return threadId(key) + "/" + job;
  }

  /** Hex SHA-1 of {@link ThreadKey#asString()}: key-safe, fixed length, unique per (sub, thread). */
  static String threadId(ThreadKey key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(key.asString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-1", e);
    }
  }

  private String tag(int shard) {
    return prefix + "{s" + shard + "}:";
  }
}
