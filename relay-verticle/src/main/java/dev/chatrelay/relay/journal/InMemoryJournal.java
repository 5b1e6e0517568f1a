package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.RelayConfig;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The embedded journal: everything in this JVM's heap, lost on exit (a restart gives every thread
 * a new epoch, so clients reload instead of resuming wrongly). Thread-safe; each thread's log is
 * locked on its own. Instances made with {@link #sharing} share one store, like relays sharing
 * one Redis, so fencing ({@link #claimShard}) behaves as it does there.
 */
public final class InMemoryJournal implements Journal {

  private final int retentionFrames;
  private final int retentionMessages;
  private final Clock clock;
  private final int shards;
  private final Store store;
  private final Map<ThreadKey, ThreadLog> threads;
  private final Map<Integer, Map<String, PendingJob>> pendingByShard;
  private final ShardTokens tokens = new ShardTokens();

  public InMemoryJournal(int retentionFrames, Clock clock) {
    this(retentionFrames, RelayConfig.DEFAULT_RETENTION_MESSAGES, clock, Shards.DEFAULT_COUNT);
  }

  /** A journal whose threads hash onto {@code shards} shards, as the relay's do (for fencing). */
  public InMemoryJournal(int retentionFrames, Clock clock, int shards) {
    this(retentionFrames, RelayConfig.DEFAULT_RETENTION_MESSAGES, clock, shards);
  }

  /** Retention as in {@link Compaction}: token frames by seq, conversation frames by count. */
  public InMemoryJournal(int retentionFrames, int retentionMessages, Clock clock, int shards) {
    this(retentionFrames, retentionMessages, clock, shards, new Store());
  }

  private InMemoryJournal(int retentionFrames, int retentionMessages, Clock clock, int shards,
      Store store) {
    if (retentionFrames < 1) {
      throw new IllegalArgumentException("retentionFrames must be at least 1");
    }
    if (retentionMessages < 1) {
      throw new IllegalArgumentException("retentionMessages must be at least 1");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1");
    }
    this.retentionFrames = retentionFrames;
    this.retentionMessages = retentionMessages;
    this.clock = clock;
    this.shards = shards;
    this.store = store;
    this.threads = store.threads;
    this.pendingByShard = store.pendingByShard;
  }

  /** Another instance over {@code other}'s store with its own shard tokens: a second relay. */
  public static InMemoryJournal sharing(InMemoryJournal other) {
    return new InMemoryJournal(other.retentionFrames, other.retentionMessages, other.clock,
        other.shards, other.store);
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
    return Future.succeededFuture(log(key).info());
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft) {
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> log(key).append(draft, clock.millis()));
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts) {
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> log(key).appendAll(drafts, clock.millis()));
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job) {
    Journal.requireSameThread(key, job);
    int shard = Shards.shardOf(key, shards);
    return store.fenced(shard, tokens.of(shard), () -> {
      Appended appended = log(key).append(message, clock.millis());
      if (appended.created()) {
        putPending(shard, job);
      }
      return appended;
    });
  }

  @Override
  public Future<Retained> readRetained(ThreadKey key, long afterSeq, int limit) {
    return Future.succeededFuture(log(key).read(afterSeq, limit));
  }

  @Override
  public Future<Void> savePendingJob(int shard, PendingJob job) {
    return store.fenced(shard, tokens.of(shard), () -> {
      putPending(shard, job);
      return null;
    });
  }

  private void putPending(int shard, PendingJob job) {
    Map<String, PendingJob> jobs = pendingByShard.computeIfAbsent(shard, s -> new LinkedHashMap<>());
    synchronized (jobs) {
      jobs.put(pendingId(job.key(), job.job()), job);
    }
  }

  @Override
  public Future<Void> removePendingJob(int shard, ThreadKey key, String job) {
    return store.fenced(shard, tokens.of(shard), () -> {
      Map<String, PendingJob> jobs = pendingByShard.get(shard);
      if (jobs != null) {
        synchronized (jobs) {
          jobs.remove(pendingId(key, job));
        }
      }
      return null;
    });
  }

  @Override
  public Future<List<PendingJob>> pendingJobs(int shard) {
    Map<String, PendingJob> jobs = pendingByShard.get(shard);
    if (jobs == null) {
      return Future.succeededFuture(List.of());
    }
    synchronized (jobs) {
      return Future.succeededFuture(List.copyOf(jobs.values()));
    }
  }

  private ThreadLog log(ThreadKey key) {
    return threads.computeIfAbsent(key, k -> new ThreadLog(k.thread(), Epochs.next(),
        retentionFrames, retentionMessages));
  }

  private static String pendingId(ThreadKey key, String job) {
    return key.asString() + '\u0000' + job;
  }


  /** What instances made with {@link #sharing} share: threads, pending jobs, shard fences. */
  private static final class Store {
    final Map<ThreadKey, ThreadLog> threads = new ConcurrentHashMap<>();
    final Map<Integer, Map<String, PendingJob>> pendingByShard = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> fences = new ConcurrentHashMap<>();

    long claim(int shard) {
      AtomicLong fence = fence(shard);
      synchronized (fence) {
        return fence.incrementAndGet();
      }
    }

    /** Runs {@code write} only if {@code token} is the shard's latest; the lock makes it atomic with claims. */
    <T> Future<T> fenced(int shard, long token, Supplier<T> write) {
      AtomicLong fence = fence(shard);
      synchronized (fence) {
        long current = fence.get();
        if (current != token) {
          return Future.failedFuture(new JournalFencedException(shard, token, current));
        }
        return Future.succeededFuture(write.get());
      }
    }

    private AtomicLong fence(int shard) {
      return fences.computeIfAbsent(shard, s -> new AtomicLong(ShardTokens.UNCLAIMED));
    }
  }
}
