package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.RelayConfig;
import dev.chatrelay.relay.journal.InMemoryStore.StoredThread;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The embedded journal: everything in this JVM's heap, lost on exit (a restart gives every thread
 * a new epoch, so clients reload instead of resuming wrongly). Thread-safe; each thread's log is
 * locked on its own. Instances made with {@link #sharing} share one store, like relays sharing
 * one Redis, so fencing ({@link #claimShard}) behaves as it does there. Like Redis's TTL, a
 * thread not written for the retention TTL is forgotten (reads neither create nor keep one;
 * writes sweep a few threads each, so idle ones leave memory without a full scan), and
 * pending-job records are bounded by {@link PendingJobLimits}.
 */
public final class InMemoryJournal implements Journal {

  /**
   * Threads checked for expiry per write, round robin over all: no write pays for a full scan.
   * Each visit is a few cache misses (16 a write were 9% of the relay loop at 25k frames/s), and
   * thousands of writes a second still pass over every thread within seconds.
   */
  private static final int SWEEP_BATCH = 4;

  private final int retentionFrames;
  private final int retentionMessages;
  private final Clock clock;
  private final int shards;
  private final long ttlMs;
  private final PendingJobLimits pendingLimits;
  private final InMemoryStore store;
  private final Map<ThreadKey, StoredThread> threads;
  private final PendingJobRecords pending;
  private final ShardTokens tokens = new ShardTokens();
  private final ProvisionalEpochs provisional;

  public InMemoryJournal(int retentionFrames, Clock clock) {
    this(retentionFrames, RelayConfig.DEFAULT_RETENTION_MESSAGES, clock, Shards.DEFAULT_COUNT);
  }

  /** A journal whose threads hash onto {@code shards} shards, as the relay's do (for fencing). */
  public InMemoryJournal(int retentionFrames, Clock clock, int shards) {
    this(retentionFrames, RelayConfig.DEFAULT_RETENTION_MESSAGES, clock, shards);
  }

  /** Retention as in {@link Compaction}: token frames by seq, conversation frames by count. */
  public InMemoryJournal(int retentionFrames, int retentionMessages, Clock clock, int shards) {
    this(retentionFrames, retentionMessages, clock, shards, RelayConfig.DEFAULT_RETENTION_TTL_S,
        PendingJobLimits.DEFAULT);
  }

  /** Default message retention, with a TTL and pending-job limits (tests of those). */
  public InMemoryJournal(int retentionFrames, Clock clock, int shards, long retentionTtlSeconds,
      PendingJobLimits pendingLimits) {
    this(retentionFrames, RelayConfig.DEFAULT_RETENTION_MESSAGES, clock, shards,
        retentionTtlSeconds, pendingLimits);
  }

  /**
   * Retention as in {@link Compaction}: token frames by seq, conversation frames by count.
   *
   * @param retentionTtlSeconds a thread not written for this long is forgotten ({@code RELAY_RETENTION_TTL_S})
   * @param pendingLimits how long and how many pending-job records are kept
   */
  public InMemoryJournal(int retentionFrames, int retentionMessages, Clock clock, int shards,
      long retentionTtlSeconds, PendingJobLimits pendingLimits) {
    this(retentionFrames, retentionMessages, clock, shards, retentionTtlSeconds, pendingLimits,
        new InMemoryStore());
  }

  private InMemoryJournal(int retentionFrames, int retentionMessages, Clock clock, int shards,
      long retentionTtlSeconds, PendingJobLimits pendingLimits, InMemoryStore store) {
    if (retentionFrames < 1) {
      throw new IllegalArgumentException("retentionFrames must be at least 1");
    }
    if (retentionMessages < 1) {
      throw new IllegalArgumentException("retentionMessages must be at least 1");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1");
    }
    if (retentionTtlSeconds < 1) {
      throw new IllegalArgumentException("retentionTtlSeconds must be at least 1");
    }
    this.retentionFrames = retentionFrames;
    this.retentionMessages = retentionMessages;
    this.clock = clock;
    this.shards = shards;
    this.ttlMs = retentionTtlSeconds * 1000;
    this.pendingLimits = pendingLimits;
    this.store = store;
    this.threads = store.threads;
    this.pending = store.pending;
    this.provisional = new ProvisionalEpochs(ttlMs);
  }

  /** Another instance over {@code other}'s store with its own shard tokens: a second relay. */
  public static InMemoryJournal sharing(InMemoryJournal other) {
    return new InMemoryJournal(other.retentionFrames, other.retentionMessages, other.clock,
        other.shards, other.ttlMs / 1000, other.pendingLimits, other.store);
  }

  @Override
  public Future<Long> claimShard(int shard) {
    long token = store.claim(shard);
    tokens.hold(shard, token);
    return Future.succeededFuture(token);
  }

  @Override
  public void releaseShard(int shard) {
    tokens.forget(shard);
  }

  @Override
  public Future<ThreadInfo> info(ThreadKey key) {
    long now = clock.millis();
    StoredThread stored = live(key, now);
    if (stored == null) {
      return Future.succeededFuture(new ThreadInfo(provisionalEpoch(key, now), 0, 1));
    }
    return Future.succeededFuture(stored.log.info());
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft) {
    return append(key, draft, null);
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft, String epochIfNew) {
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> {
      long now = clock.millis();
      return writable(key, epochIfNew, now).append(draft, now);
    });
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts) {
    return appendAll(key, drafts, null);
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew) {
    if (drafts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> {
      long now = clock.millis();
      return writable(key, epochIfNew, now).appendAll(drafts, now);
    });
  }

  /**
   * The batch and the record's removal under the shard's fence lock, as one step: a relay taking
   * over the shard claims it under that lock, so it sees both or neither.
   */
  @Override
  public Future<List<Appended>> appendEnding(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew, String job) {
    if (drafts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> {
      long now = clock.millis();
      List<Appended> all = writable(key, epochIfNew, now).appendAll(drafts, now);
      if (Journal.forgotPending(drafts, all)) {
        pending.remove(shard, key, job);
      }
      return all;
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
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> {
      long now = clock.millis();
      Appended appended = writable(key, epochIfNew, now).append(message, now);
      if (appended.created()) {
        pending.put(shard, job, now, pendingLimits);
      }
      return appended;
    });
  }

  @Override
  public Future<Retained> readRetained(ThreadKey key, long afterSeq, int limit) {
    StoredThread stored = live(key, clock.millis());
    return Future.succeededFuture(stored == null ? new Retained(1, List.of())
        : stored.log.read(afterSeq, limit));
  }

  @Override
  public Future<Void> savePendingJob(int shard, PendingJob job) {
    return store.fenced(shard, tokens.of(shard), () -> {
      pending.put(shard, job, clock.millis(), pendingLimits);
      return null;
    });
  }

  @Override
  public Future<Void> removePendingJob(int shard, ThreadKey key, String job) {
    return store.fenced(shard, tokens.of(shard), () -> {
      pending.remove(shard, key, job);
      return null;
    });
  }

  @Override
  public Future<List<PendingJob>> pendingJobs(int shard) {
    return Future.succeededFuture(pending.list(shard, clock.millis(), pendingLimits));
  }

  /** True while the store holds {@code key}'s thread, expired or not (tests: reads add none). */
  boolean holds(ThreadKey key) {
    return threads.containsKey(key);
  }

  /** The thread if written within the TTL, else null; an expired one is dropped, nothing is created. */
  private StoredThread live(ThreadKey key, long now) {
    StoredThread stored = threads.get(key);
    if (stored != null && expired(stored, now)) {
      threads.computeIfPresent(key, (k, s) -> expired(s, now) ? null : s);
      return null;
    }
    return stored;
  }

  /** The thread to write, created (or re-created after expiry) with its first-write epoch. */
  private ThreadLog writable(ThreadKey key, String epochIfNew, long now) {
    sweepSome(now);
    StoredThread stored = threads.compute(key, (k, s) -> {
      StoredThread t = s == null || expired(s, now) ? new StoredThread(new ThreadLog(k.thread(),
          epochIfNew != null ? epochIfNew : Epochs.next(), retentionFrames, retentionMessages))
          : s;
      t.writtenAt = now;
      return t;
    });
    return stored.log;
  }

  private String provisionalEpoch(ThreadKey key, long now) {
    return provisional.of(key, tokens.nonceOf(Shards.shardOf(key, shards)), now);
  }

  private boolean expired(StoredThread stored, long now) {
    return stored.writtenAt < now - ttlMs;
  }

  /** Forgets the next few threads idle beyond the TTL (reads already treat them as gone). */
  private void sweepSome(long now) {
    if (!store.sweepLock.tryLock()) {
      return; // another writer is sweeping
    }
    try {
      for (int i = 0; i < SWEEP_BATCH; i++) {
        if (store.sweepCursor == null || !store.sweepCursor.hasNext()) {
          store.sweepCursor = threads.entrySet().iterator();
          if (!store.sweepCursor.hasNext()) {
            return;
          }
        }
        Map.Entry<ThreadKey, StoredThread> next = store.sweepCursor.next();
        // Checked on the entry first: a lookup (and the bin's lock) only for the rare expired one.
        if (expired(next.getValue(), now)) {
          threads.computeIfPresent(next.getKey(), (k, s) -> expired(s, now) ? null : s);
        }
      }
    } finally {
      store.sweepLock.unlock();
    }
  }
}
