package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.Appended;
import dev.chatrelay.relay.journal.ClaimGuard;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.journal.JournalFencedException;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.journal.Retained;
import dev.chatrelay.relay.journal.ThreadInfo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A journal whose results always arrive on the relay verticle's event loop, whatever thread the
 * underlying journal completes on, so shard state is only ever touched from that loop. Every
 * fenced write is also reported to {@code onFenced} (on that loop, before the caller sees it),
 * so one place lets a shard go whichever command hit the fence.
 */
final class ContextBoundJournal implements Journal {

  private final Journal delegate;
  private final Context context;
  private final Consumer<JournalFencedException> onFenced;

  ContextBoundJournal(Journal delegate, Context context, Consumer<JournalFencedException> onFenced) {
    this.delegate = delegate;
    this.context = context;
    this.onFenced = onFenced;
  }

  @Override
  public Future<ThreadInfo> info(ThreadKey key) {
    return onContext(() -> delegate.info(key));
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft) {
    return onContext(() -> delegate.append(key, draft));
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts) {
    return onContext(() -> delegate.appendAll(key, drafts));
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job) {
    return onContext(() -> delegate.appendSend(key, message, job));
  }

  @Override
  public Future<Appended> append(ThreadKey key, FrameDraft draft, String epochIfNew) {
    return onContext(() -> delegate.append(key, draft, epochIfNew));
  }

  @Override
  public Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew) {
    return onContext(() -> delegate.appendAll(key, drafts, epochIfNew));
  }

  @Override
  public Future<List<Appended>> appendEnding(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew, String job) {
    return onContext(() -> delegate.appendEnding(key, drafts, epochIfNew, job));
  }

  @Override
  public Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job,
      String epochIfNew) {
    return onContext(() -> delegate.appendSend(key, message, job, epochIfNew));
  }

  @Override
  public Future<Retained> readRetained(ThreadKey key, long afterSeq, int limit) {
    return onContext(() -> delegate.readRetained(key, afterSeq, limit));
  }

  @Override
  public Future<Void> savePendingJob(int shard, PendingJob job) {
    return onContext(() -> delegate.savePendingJob(shard, job));
  }

  @Override
  public Future<Void> removePendingJob(int shard, ThreadKey key, String job) {
    return onContext(() -> delegate.removePendingJob(shard, key, job));
  }

  @Override
  public Future<List<PendingJob>> pendingJobs(int shard) {
    return onContext(() -> delegate.pendingJobs(shard));
  }

  @Override
  public Future<Long> claimShard(int shard) {
    return onContext(() -> delegate.claimShard(shard));
  }

  @Override
  public Future<Long> claimShard(int shard, ClaimGuard guard) {
    return onContext(() -> delegate.claimShard(shard, guard));
  }

  @Override
  public Future<java.util.Set<String>> relayLiveness(String node, boolean alive, long ttlMs) {
    return onContext(() -> delegate.relayLiveness(node, alive, ttlMs));
  }

  @Override
  public Future<Long> latestToken(int shard) {
    return onContext(() -> delegate.latestToken(shard));
  }

  @Override
  public void releaseShard(int shard) {
    delegate.releaseShard(shard);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  private <T> Future<T> onContext(Supplier<Future<T>> call) {
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      // A journal that throws instead of failing its future is still a journal failure.
      result = Future.failedFuture(e);
    }
    if (result.isComplete() && Contexts.isOn(context)) {
      // Already answered (the in-memory journal always is), on the loop: nothing to move.
      if (result.failed() && result.cause() instanceof JournalFencedException fenced) {
        onFenced.accept(fenced);
      }
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> {
      if (Contexts.isOn(context)) {
        complete(promise, ar);
      } else {
        context.runOnContext(v -> complete(promise, ar));
      }
    });
    return promise.future();
  }

  private <T> void complete(Promise<T> promise, io.vertx.core.AsyncResult<T> ar) {
    if (ar.failed() && ar.cause() instanceof JournalFencedException fenced) {
      onFenced.accept(fenced);
    }
    promise.handle(ar);
  }
}
