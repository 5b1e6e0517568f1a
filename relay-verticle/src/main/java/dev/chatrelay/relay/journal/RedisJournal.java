package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.RedisKeys.ShardKeys;
import dev.chatrelay.relay.journal.RedisKeys.ThreadKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal on Redis Streams, for clustered relays; passes {@code JournalContractTest}.
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
 *   <tr><td>{@code P{s<n>}:jobs}</td><td>hash</td><td>{@code H/<job>} → pending job JSON with {@code savedAt}; at most {@link PendingJobLimits#maxPerShard()}</td><td>pending-job TTL after the shard's last save</td></tr>
 *   <tr><td>{@code P{s<n>}:jobq}</td><td>sorted set</td><td>{@code H/<job>} scored by save order</td><td>pending-job TTL after the shard's last save</td></tr>
 *   <tr><td>{@code P{s<n>}:jobn}</td><td>string</td><td>save-order counter</td><td>pending-job TTL after the shard's last save</td></tr>
 * </table>
 *
 * <h2>Writes</h2>
 * Every write is one Lua script ({@link RedisScripts}), so it happens whole or not at all. An
 * append checks the fence, finds or creates the epoch, answers the journaled frame when its
 * idempotency key is known, else writes seq head + 1 with explicit stream id to the stream of
 * its class, records the key, applies retention ({@link Compaction}: the oldest conversation
 * frame beyond {@code retentionMessages} leaves with everything below it and {@code oldest}
 * moves past it; token frames up to head - {@code retentionFrames} leave oldest first while
 * their reply is in {@code ends}), deletes the idempotency keys of the frames that left (XDEL
 * from the front of a stream, so whole stream nodes are freed) and refreshes the TTL of the
 * thread's five keys. {@code ts} comes from the relay's clock
 * ({@link RedisJournalOptions#clock()}), not Redis TIME, so tests can fake time. A thread whose
 * meta is gone (flushed, expired, evicted), or whose streams are both gone while head &gt; 0, gets
 * the caller's first-write epoch (else a new random one) and starts again at seq 1; an old epoch
 * is never reused.
 *
 * <h2>Reads never write</h2>
 * {@link #info} and {@link #readRetained} run read-only scripts: a thread's keys are created by its first
 * write, which stores the epoch the caller passes (the provisional one {@link #info} showed,
 * {@link ProvisionalEpochs}), so a read of any thread id leaves nothing behind.
 *
 * <h2>Fencing</h2>
 * {@link #claimShard} is {@code INCR P{s<n>}:fence}; this instance keeps the answer as its token.
 * Every append, pending-job save and removal for shard n passes this instance's token (0 when it
 * never claimed n, or released it) and the script refuses it with {@code FENCED <latest>}
 * ({@link JournalFencedException}) unless it equals the stored token (absent = 0). Equality,
 * not "not older": after the store was lost the counter restarts, and an old owner holding a
 * high token must still be refused. So a relay claims its shards before writing, and claims
 * again after a {@code FENCED} if it still owns the shard. Reads are not fenced.
 *
 * <h2>Connection</h2>
 * One connection with pipelining ({@link RedisPipeline}): commands during an outage fail with
 * {@link JournalUnavailableException}; it reconnects with doubling pauses and reloads the scripts.
 */
public final class RedisJournal implements Journal {

  private static final Logger log = LoggerFactory.getLogger(RedisJournal.class);
  /** Field of a pending-job record: when it was last saved (epoch ms, the relay's clock). */
  private static final String SAVED_AT = "savedAt";

  private final RedisJournalOptions options;
  private final RedisKeys keys;
  private final RedisPipeline pipe;
  private final ShardTokens tokens = new ShardTokens();
  private final String ttl;
  private final String retention;
  private final String retentionMessages;
  private final ProvisionalEpochs provisional;
  private final RedisShardClaims claims;

  private RedisJournal(RedisJournalOptions options, RedisPipeline pipe) {
    this.options = options;
    this.keys = new RedisKeys(options.keyPrefix(), options.shards());
    this.pipe = pipe;
    this.ttl = Long.toString(options.retentionTtlSeconds());
    this.retention = Integer.toString(options.retentionFrames());
    this.retentionMessages = Integer.toString(options.retentionMessages());
    this.provisional = new ProvisionalEpochs(options.retentionTtlSeconds() * 1000);
    this.claims = new RedisShardClaims(pipe, keys, tokens);
  }

  /** Connects to {@code options.url()}; fails when Redis cannot be reached at start. */
  public static Future<RedisJournal> connect(Vertx vertx, RedisJournalOptions options) {
    List<LuaScript> scripts = new ArrayList<>(RedisScripts.ALL);
    scripts.addAll(ClaimScripts.ALL);
    return RedisPipeline.open(vertx, options, scripts)
        .map(pipe -> {
          log.info("event=redis.connected url={} prefix={} shards={} retention={} "
                  + "retentionMessages={} ttlS={}", RedisPipeline.redacted(options.url()),
              options.keyPrefix(), options.shards(), options.retentionFrames(),
              options.retentionMessages(), options.retentionTtlSeconds());
          return new RedisJournal(options, pipe);
        });
  }

  /** True while the connection to Redis is up (readiness). */
  public boolean connected() {
    return pipe.connected();
  }

  @Override
  public Future<ThreadInfo> info(ThreadKey key) {
    ThreadKeys k = keys.thread(key);
    String unwritten = provisional.of(key, tokens.nonceOf(k.shard()), options.clock().millis());
    return RedisScripts.INFO.run(pipe, List.of(k.meta(), k.log(), k.tok()), List.of(unwritten))
        .recover(RedisJournal::unavailable)
        .map(r -> new ThreadInfo(r.get(0).toString(), r.get(1).toLong(), r.get(2).toLong()));
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft) {
    return append(key, draft, null, null);
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft, String epochIfNew) {
    return append(key, draft, null, epochIfNew);
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts) {
    return appendAll(key, drafts, null);
  }

  /** One {@link RedisScripts#APPEND_ALL} call for the whole list. */
  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew) {
    if (drafts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    ThreadKeys k = keys.thread(key);
    long token = tokens.of(k.shard());
    long ts = options.clock().millis();
    List<String> args = new ArrayList<>(6 + 4 * drafts.size());
    args.add(Long.toString(token));
    args.add(Long.toString(ts));
    args.add(retention);
    args.add(ttl);
    args.add(firstEpoch(epochIfNew));
    args.add(retentionMessages);
    for (FrameDraft draft : drafts) {
      args.add(draft.idempotencyKey());
      args.add(RedisFrames.body(draft));
      args.add(RedisFrames.retentionClass(draft));
      args.add(draft.replyTo() == null ? "" : draft.replyTo());
    }
    return RedisScripts.APPEND_ALL.run(pipe, withFence(k), args)
        .recover(err -> failure(err, k.shard(), token))
        .map(r -> {
          String epoch = r.get(0).toString();
          long oldest = r.get(1).toLong();
          List<Appended> out = new ArrayList<>(r.size() - 2);
          for (int i = 2; i < r.size(); i++) {
            Response one = r.get(i);
            if (one.type() == ResponseType.MULTI) {
              out.add(new Appended(RedisFrames.frame(one, key.thread(), epoch), false, oldest));
            } else {
              FrameDraft draft = drafts.get(i - 2);
              out.add(new Appended(new Frame(key.thread(), epoch, one.toLong(), draft.id(),
                  draft.kind(), ts, draft.replyTo(), draft.data()), true, oldest));
            }
          }
          return out;
        });
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job) {
    return appendSend(key, message, job, null);
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job,
      String epochIfNew) {
    Journal.requireSameThread(key, job);
    return append(key, message, job, epochIfNew);
  }

  /** The append script, saving {@code job} (when not null) in the same step if the frame is new. */
  private Future<Appended> append(ThreadKey key, FrameDraft draft, PendingJob job,
      String epochIfNew) {
    ThreadKeys k = keys.thread(key);
    long token = tokens.of(k.shard());
    long ts = options.clock().millis();
    List<String> args = new ArrayList<>(List.of(Long.toString(token), draft.idempotencyKey(),
        Long.toString(ts), RedisFrames.body(draft), retention, ttl, firstEpoch(epochIfNew),
        retentionMessages, RedisFrames.retentionClass(draft),
        draft.replyTo() == null ? "" : draft.replyTo()));
    List<String> scriptKeys = new ArrayList<>(withFence(k));
    if (job != null) {
      ShardKeys s = keys.shard(k.shard());
      scriptKeys.addAll(List.of(s.jobs(), s.jobOrder(), s.jobCounter()));
      args.add(RedisKeys.pendingField(job.key(), job.job()));
      args.add(pendingJson(job, ts));
      args.add(Long.toString(options.pendingJobs().ttlSeconds()));
      args.add(Integer.toString(options.pendingJobs().maxPerShard()));
    }
    return RedisScripts.APPEND.run(pipe, scriptKeys, args)
        .recover(err -> failure(err, k.shard(), token))
        .map(r -> {
          String epoch = r.get(1).toString();
          long oldest = r.get(3).toLong();
          if (r.get(0).toInteger() == 0) {
            return new Appended(RedisFrames.frame(r.get(2), key.thread(), epoch), false, oldest);
          }
          Frame frame = new Frame(key.thread(), epoch, r.get(2).toLong(), draft.id(), draft.kind(),
              ts, draft.replyTo(), draft.data());
          return new Appended(frame, true, oldest);
        });
  }

  @Override
  public Future<Retained> readRetained(ThreadKey key, long afterSeq, int limit) {
    if (limit <= 0 || afterSeq == Long.MAX_VALUE) {
      return Future.succeededFuture(new Retained(1, List.of())); // nothing asked (COUNT 0 = all)
    }
    ThreadKeys k = keys.thread(key);
    String from = Long.toString(Math.max(afterSeq + 1, 1));
    return RedisScripts.READ.run(pipe, List.of(k.meta(), k.log(), k.tok()),
            List.of(from, Integer.toString(limit)))
        .recover(RedisJournal::unavailable)
        .map(r -> r.size() == 0 ? new Retained(1, List.of())
            : new Retained(r.get(1).toLong(),
                RedisFrames.frames(r.get(2), key.thread(), r.get(0).toString())));
  }

  /** The thread's keys and its shard's fence, as the append scripts take them. */
  private static List<String> withFence(ThreadKeys k) {
    List<String> all = new ArrayList<>(k.all());
    all.add(k.fence());
    return all;
  }

  @Override
  public Future<Void> savePendingJob(int shard, PendingJob job) {
    ShardKeys k = keys.shard(shard);
    long token = tokens.of(shard);
    return RedisScripts.SAVE_JOB.run(pipe,
            List.of(k.fence(), k.jobs(), k.jobOrder(), k.jobCounter()),
            List.of(Long.toString(token), RedisKeys.pendingField(job.key(), job.job()),
                pendingJson(job, options.clock().millis()),
                Long.toString(options.pendingJobs().ttlSeconds()),
                Integer.toString(options.pendingJobs().maxPerShard())))
        .recover(err -> failure(err, shard, token))
        .mapEmpty();
  }

  @Override
  public Future<Void> removePendingJob(int shard, ThreadKey key, String job) {
    ShardKeys k = keys.shard(shard);
    long token = tokens.of(shard);
    return RedisScripts.REMOVE_JOB.run(pipe, List.of(k.fence(), k.jobs(), k.jobOrder()),
            List.of(Long.toString(token), RedisKeys.pendingField(key, job)))
        .recover(err -> failure(err, shard, token))
        .mapEmpty();
  }

  @Override
  public Future<List<PendingJob>> pendingJobs(int shard) {
    ShardKeys k = keys.shard(shard);
    long oldest = options.clock().millis() - options.pendingJobs().ttlSeconds() * 1000;
    return RedisScripts.PENDING_JOBS.run(pipe, List.of(k.jobs(), k.jobOrder()),
            List.of(Integer.toString(options.pendingJobs().maxPerShard())))
        .recover(RedisJournal::unavailable)
        .map(r -> {
          List<PendingJob> jobs = new ArrayList<>(r.size());
          for (Response json : r) {
            JsonObject saved = new JsonObject(json.toString());
            if (saved.getLong(SAVED_AT, oldest) >= oldest) {
              jobs.add(PendingJob.fromJson(saved));
            }
          }
          return jobs;
        });
  }

  @Override
  public Future<Long> claimShard(int shard) {
    return claims.claim(shard, ClaimGuard.NONE);
  }

  @Override
  public Future<Long> claimShard(int shard, ClaimGuard guard) {
    return claims.claim(shard, guard);
  }

  @Override
  public Future<Long> latestToken(int shard) {
    return claims.latestToken(shard);
  }

  @Override
  public Future<java.util.Set<String>> relayLiveness(String node, boolean alive, long ttlMs) {
    return claims.liveness(node, alive, ttlMs);
  }

  @Override
  public void releaseShard(int shard) {
    tokens.forget(shard);
    log.info("event=redis.shard_released shard={}", shard);
  }

  @Override
  public Future<Void> close() {
    return pipe.close();
  }

  /** The Redis client id of the journal's connection (tests kill it to simulate a drop). */
  Future<Long> connectionId() {
    return pipe.send(Request.cmd(Command.CLIENT).arg("ID")).map(Response::toLong);
  }

  /** The epoch a thread without one takes: the caller's, else a fresh one. */
  private static String firstEpoch(String epochIfNew) {
    return epochIfNew != null ? epochIfNew : Epochs.next();
  }

  /** The record of a pending job, stamped with its save time for {@link PendingJobLimits}. */
  private static String pendingJson(PendingJob job, long now) {
    return job.toJson().put(SAVED_AT, now).encode();
  }

  /** A fenced write as {@link JournalFencedException}, else as {@link #unavailable}. */
  private static <T> Future<T> failure(Throwable err, int shard, long token) {
    if (RedisFailures.kind(err) == RedisFailures.Kind.FENCED) {
      return Future.failedFuture(new JournalFencedException(shard, token,
          Long.parseLong(RedisFailures.argument(err))));
    }
    return unavailable(err);
  }

  /**
   * An outage ({@link RedisFailures.Kind#UNAVAILABLE}: no answer, a lost connection, a Redis
   * that cannot serve now) as {@link JournalUnavailableException}; other failures (Redis refusing
   * the command) pass as they are.
   */
  static <T> Future<T> unavailable(Throwable err) {
    if (RedisFailures.kind(err) == RedisFailures.Kind.UNAVAILABLE) {
      return Future.failedFuture(err instanceof JournalUnavailableException ? err
          : new JournalUnavailableException("redis unavailable: " + err.getMessage(), err));
    }
    return Future.failedFuture(err);
  }
}
