package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Future;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What {@link InMemoryJournal} instances made with {@link InMemoryJournal#sharing} share, like
 * relays sharing one Redis: threads, pending jobs, shard fences. Thread-safe.
 */
final class InMemoryStore {

  final Map<ThreadKey, StoredThread> threads = new ConcurrentHashMap<>();
  final PendingJobRecords pending = new PendingJobRecords();
  final ReentrantLock sweepLock = new ReentrantLock();
  /** Where the expiry sweep goes on (weakly consistent: sees removals and some additions). */
  Iterator<Map.Entry<ThreadKey, StoredThread>> sweepCursor;
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

  /** A thread's log and when it was last written (for the TTL). */
  static final class StoredThread {
    final ThreadLog log;
    volatile long writtenAt;

    StoredThread(ThreadLog log) {
      this.log = log;
    }
  }
}
