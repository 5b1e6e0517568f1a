package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.Appended;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.journal.JournalUnavailableException;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.journal.Retained;
import dev.chatrelay.relay.journal.ThreadInfo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A journal wrapper that can hold or slow down reads and fail operations on demand. */
final class ControllableJournal implements Journal {

  private final Journal delegate;
  private final Vertx vertx;
  final AtomicInteger reads = new AtomicInteger();
  volatile boolean failAppends;
  /** Failed appends fail as an unreachable Redis does ({@link JournalUnavailableException}). */
  volatile boolean unreachable;
  /** The next send is journaled (with its pending job), then its answer is lost. */
  volatile boolean loseNextSendAnswer;
  volatile boolean failReads;
  /** Shard whose pending-job reads are counted and may fail. */
  volatile int pendingShard = -1;
  /** This many reads of its pending jobs fail (as an unreachable Redis does), then they work. */
  final AtomicInteger failPendingReads = new AtomicInteger();
  final AtomicInteger pendingReads = new AtomicInteger();
  volatile long readDelayMs;
  /** Thread loads answer after this long (as Redis does, asynchronously), 0 = at once. */
  volatile long infoDelayMs;
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;
  private final List<Runnable> heldAppends = new ArrayList<>();
  private boolean holdingAppends;

  ControllableJournal(Journal delegate, Vertx vertx) {
    this.delegate = delegate;
    this.vertx = vertx;
  }

  /** Reads from now on wait until {@link #release()}. */
  synchronized void holdReads() {
    holding = true;
  }

  synchronized int heldReads() {
    return held.size();
  }

  void release() {
    List<Runnable> go;
    synchronized (this) {
      holding = false;
      go = new ArrayList<>(held);
      held.clear();
    }
    go.forEach(Runnable::run);
  }

  /** Appends from now on wait until {@link #releaseAppends()}. */
  synchronized void holdAppends() {
    holdingAppends = true;
  }

  synchronized int heldAppends() {
    return heldAppends.size();
  }

  void releaseAppends() {
    List<Runnable> go;
    synchronized (this) {
      holdingAppends = false;
      go = new ArrayList<>(heldAppends);
      heldAppends.clear();
    }
    go.forEach(Runnable::run);
  }

  @Override
  public Future<ThreadInfo> info(ThreadKey key) {
    if (infoDelayMs <= 0) {
      return delegate.info(key);
    }
    Promise<ThreadInfo> promise = Promise.promise();
    vertx.setTimer(infoDelayMs, id -> delegate.info(key).onComplete(promise));
    return promise.future();
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft) {
    return append(key, draft, null);
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft, String epochIfNew) {
    if (failAppends) {
      return Future.failedFuture(down());
    }
    Promise<Appended> promise = Promise.promise();
    Runnable run = () -> delegate.append(key, draft, epochIfNew).onComplete(promise);
    synchronized (this) {
      if (holdingAppends) {
        heldAppends.add(run);
        return promise.future();
      }
    }
    run.run();
    return promise.future();
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job) {
    return appendSend(key, message, job, null);
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job,
      String epochIfNew) {
    if (failAppends) {
      return Future.failedFuture(down());
    }
    if (loseNextSendAnswer) {
      loseNextSendAnswer = false;
      return delegate.appendSend(key, message, job, epochIfNew).transform(ar ->
          Future.failedFuture(new IllegalStateException("connection reset after the write (test)")));
    }
    return delegate.appendSend(key, message, job, epochIfNew);
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew) {
    if (failAppends) {
      return Future.failedFuture(down());
    }
    return heldBatch(() -> delegate.appendAll(key, drafts, epochIfNew));
  }

  @Override
  public Future<List<Appended>> appendEnding(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew, String job) {
    if (failAppends) {
      return Future.failedFuture(down());
    }
    return heldBatch(() -> delegate.appendEnding(key, drafts, epochIfNew, job));
  }

  /** Held like single appends: a batch is one held append (the relay batches a worker's frames). */
  private Future<List<Appended>> heldBatch(java.util.function.Supplier<Future<List<Appended>>> call) {
    Promise<List<Appended>> promise = Promise.promise();
    Runnable run = () -> call.get().onComplete(promise);
    synchronized (this) {
      if (holdingAppends) {
        heldAppends.add(run);
        return promise.future();
      }
    }
    run.run();
    return promise.future();
  }

  @Override
  public Future<Long> claimShard(int shard) {
    return delegate.claimShard(shard);
  }

  @Override
  public void releaseShard(int shard) {
    delegate.releaseShard(shard);
  }

  @Override
  public Future<Retained> readRetained(ThreadKey key, long afterSeq, int limit) {
    reads.incrementAndGet();
    if (failReads) {
      return Future.failedFuture(new IllegalStateException("journal down (test)"));
    }
    Promise<Retained> promise = Promise.promise();
    Runnable run = () -> delegate.readRetained(key, afterSeq, limit).onComplete(promise);
    synchronized (this) {
      if (holding) {
        held.add(run);
        return promise.future();
      }
    }
    if (readDelayMs > 0) {
      vertx.setTimer(readDelayMs, id -> run.run());
    } else {
      run.run();
    }
    return promise.future();
  }

  @Override
  public Future<Void> savePendingJob(int shard, PendingJob job) {
    return delegate.savePendingJob(shard, job);
  }

  @Override
  public Future<Void> removePendingJob(int shard, ThreadKey key, String job) {
    return delegate.removePendingJob(shard, key, job);
  }

  @Override
  public Future<List<PendingJob>> pendingJobs(int shard) {
    if (shard != pendingShard) {
      return delegate.pendingJobs(shard);
    }
    pendingReads.incrementAndGet();
    if (failPendingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new JournalUnavailableException("redis down (test)"));
    }
    return delegate.pendingJobs(shard);
  }

  private RuntimeException down() {
    return unreachable ? new JournalUnavailableException("redis down (test)")
        : new IllegalStateException("journal down (test)");
  }
}
