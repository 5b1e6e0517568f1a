package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the Redis keys of {@link RedisJournal}. Every key of a shard carries the hash tag
 * {@code {s<shard>}}, so a thread's keys and its shard's fence sit in one Redis Cluster slot and
 * one script may touch them all.
 *
 * <h2>Key layout</h2>
 * {@code P} is the key prefix (default {@code cr:}), {@code n} the thread's shard
 * ({@code Shards.shardOf(key, shards)}), {@code H} the hex SHA-1 of {@link ThreadKey#asString()}.
 * The hash tag {@code {s<n>}} puts a shard's keys, fence included, in one Redis Cluster slot, so
 * each script touches one slot (a tag per thread could not: the fence is per shard). Changing
 * the shard count therefore moves every thread to new keys: clients get {@code reset} once.
 * <table>
 *   <caption>keys</caption>
 *   <tr><th>key</th><th>type</th><th>content</th><th>TTL</th></tr>
 *   <tr><td>{@code P{s<n>}:t:H:meta}</td><td>hash</td><td>{@code epoch}, {@code head}, {@code oldest} (every seq below it is gone)</td><td>retention TTL</td></tr>
 *   <tr><td>{@code P{s<n>}:t:H:log}</td><td>stream</td><td>conversation frames ({@code user_message}, {@code message}, {@code error}):
 *       entry id {@code <seq>-0}; fields {@code k} idempotency key, {@code t} ts (epoch ms), {@code b} body JSON
 *       (id, kind, replyTo, data), {@code r} replyTo of a reply's ending frame; the newest {@code retentionMessages}</td><td>retention TTL</td></tr>
 *   <tr><td>{@code P{s<n>}:t:H:tok}</td><td>stream</td><td>token frames (every other kind), same fields ({@code r} = replyTo);
 *       the newest {@code retentionFrames} seqs' and those of replies not ended</td><td>retention TTL</td></tr>
 *   <tr><td>{@code P{s<n>}:t:H:idem}</td><td>hash</td><td>idempotency key → seq, exactly for the retained frames</td><td>retention TTL</td></tr>
 *   <tr><td>{@code P{s<n>}:t:H:ends}</td><td>hash</td><td>replyTo → seq of its retained {@code message}/{@code error}: the replies that ended</td><td>retention TTL</td></tr>
 *   <tr><td>{@code P{s<n>}:fence}</td><td>string</td><td>latest fencing token of the shard ({@code INCR})</td><td>none</td></tr>
 *   <tr><td>{@code P{s<n>}:holder}</td><td>string</td><td>node id of the shard's latest claimant ({@link ClaimScripts#CLAIM})</td><td>none</td></tr>
 *   <tr><td>{@code Prelays}</td><td>sorted set</td><td>relay node id → expiry (ms, Redis's clock) of its liveness ({@link ClaimScripts#LIVENESS})</td><td>10 × the liveness TTL after the last write</td></tr>
 *   <tr><td>{@code P{s<n>}:jobs}</td><td>hash</td><td>{@code H/<job>} → pending job JSON with {@code savedAt}, saved with the send's message and removed with the reply's ending; at most {@link PendingJobLimits#maxPerShard()}</td><td>pending-job TTL after the shard's last save</td></tr>
 *   <tr><td>{@code P{s<n>}:jobq}</td><td>sorted set</td><td>{@code H/<job>} scored by save order</td><td>pending-job TTL after the shard's last save</td></tr>
 *   <tr><td>{@code P{s<n>}:jobn}</td><td>string</td><td>save-order counter</td><td>pending-job TTL after the shard's last save</td></tr>
 * </table>
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
