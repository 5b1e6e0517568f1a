package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.RedisKeys.ThreadKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal on Redis Streams, for clustered relays; passes {@code JournalContractTest}.
 *
 * <h2>Key layout</h2>
 * In {@link RedisKeys}: per thread a meta hash, two streams (conversation and token frames), the
 * idempotency and ended-reply hashes; per shard the fence and the pending jobs.
 *
 * <h2>Writes</h2>
 * Every write is one Lua script ({@link RedisScripts}, called by {@link RedisAppends}), so it
 * happens whole or not at all. An
 * append checks the fence, finds or creates the epoch, answers the journaled frame when its
 * idempotency key is known, else writes seq head + 1 with explicit stream id to the stream of
 * its class, records the key, applies retention ({@link Compaction}: the oldest conversation
 * frame beyond {@code retentionMessages} leaves with everything below it and {@code oldest}
 * moves past it; token frames up to head - {@code retentionFrames} leave oldest first while
 * their reply is in {@code ends}), deletes the idempotency keys of the frames that left (XTRIM
 * MINID: they are a stream's oldest entries, so whole stream nodes are freed) and refreshes the
 * TTL of the thread's five keys. A batch applies retention after every frame, with its writes
 * coalesced ({@link RedisLua#WRITER}). {@code ts} comes from the relay's clock
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

  private final RedisJournalOptions options;
  private final RedisKeys keys;
  private final RedisPipeline pipe;
  private final ShardTokens tokens = new ShardTokens();
  private final ProvisionalEpochs provisional;
  private final RedisPendingJobs pendingJobs;
  private final RedisShardClaims claims;
  private final RedisAppends appends;

  private RedisJournal(RedisJournalOptions options, RedisPipeline pipe) {
    this.options = options;
    this.keys = new RedisKeys(options.keyPrefix(), options.shards());
    this.pipe = pipe;
    this.provisional = new ProvisionalEpochs(options.retentionTtlSeconds() * 1000);
    this.pendingJobs = new RedisPendingJobs(options, keys, pipe, tokens);
    this.claims = new RedisShardClaims(pipe, keys, tokens);
    this.appends = new RedisAppends(options, keys, pipe, tokens, pendingJobs);
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

  /** Makes the connection from {@code context}'s event loop: see {@link RedisPipeline#moveTo}. */
  @Override
  public Future<Void> moveTo(io.vertx.core.Context context) {
    return pipe.moveTo(context);
  }

  /** Calls and answers of the connection handed over from another thread so far (tests). */
  long hops() {
    return pipe.hops();
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
    return appends.append(key, draft, null, null);
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft, String epochIfNew) {
    return appends.append(key, draft, null, epochIfNew);
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
    return appends.appendAll(key, drafts, epochIfNew, null);
  }

  /** One {@link RedisScripts#APPEND_ALL} call that also drops the job's pending record. */
  @Override
  public Future<List<Appended>> appendEnding(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew, String job) {
    if (drafts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return appends.appendAll(key, drafts, epochIfNew, job);
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job) {
    return appendSend(key, message, job, null);
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job,
      String epochIfNew) {
    Journal.requireSameThread(key, job);
    return appends.append(key, message, job, epochIfNew);
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

  @Override
  public Future<Void> savePendingJob(int shard, PendingJob job) {
    return pendingJobs.save(shard, job);
  }

  @Override
  public Future<Void> removePendingJob(int shard, ThreadKey key, String job) {
    return pendingJobs.remove(shard, key, job);
  }

  @Override
  public Future<List<PendingJob>> pendingJobs(int shard) {
    return pendingJobs.of(shard);
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

  /** A fenced write as {@link JournalFencedException}, else as {@link #unavailable}. */
  static <T> Future<T> failure(Throwable err, int shard, long token) {
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
