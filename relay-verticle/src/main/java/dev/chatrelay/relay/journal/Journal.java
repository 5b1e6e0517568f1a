package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Future;
import java.util.List;

/**
 * The durable stream of every user-scoped thread, and the reply jobs not yet finished.
 * Implementations: {@link InMemoryJournal} (embedded) and a Redis one; both pass
 * {@code JournalContractTest}. Every operation may be called from any thread.
 */
public interface Journal {

  /**
   * Epoch, head and oldest retained seq of a thread. Reads never write: a thread never written
   * (or forgotten after the retention TTL) answers head 0 and a provisional epoch that nothing
   * stores, the same on every read within this journal's claim of the shard (and within a
   * window of half the TTL); it becomes the thread's epoch when the first write passes it
   * ({@link #append(ThreadKey, FrameDraft, String)}).
   */
  Future<ThreadInfo> info(ThreadKey key);

  /**
   * {@link #append(ThreadKey, FrameDraft)}, where a thread that has no epoch yet takes
   * {@code epochIfNew}: a relay passes the epoch its readers were shown while the thread had no
   * frame, so their cursors stay valid; null (also what {@link #append(ThreadKey, FrameDraft)}
   * passes) means a fresh random one, so a thread that was lost never gets an old epoch back.
   * The default ignores it (wrappers, test doubles).
   */
  default Future<Appended> append(ThreadKey key, FrameDraft draft, String epochIfNew) {
    return append(key, draft);
  }

  /** {@link #appendAll(ThreadKey, List)} with {@code epochIfNew} as in {@link #append(ThreadKey, FrameDraft, String)}. */
  default Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts,
      String epochIfNew) {
    return appendAll(key, drafts);
  }

  /** {@link #appendSend} with {@code epochIfNew} as in {@link #append(ThreadKey, FrameDraft, String)}. */
  default Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job,
      String epochIfNew) {
    return appendSend(key, message, job);
  }

  /**
   * Appends {@code draft} unless its idempotency key is already journaled; then answers the
   * journaled frame with {@code created = false} and uses no seq. A new frame gets seq head + 1
   * and {@code ts} = the journal's clock. Retention ({@link Compaction}) then drops the frames it
   * no longer keeps together with their idempotency keys.
   */
  Future<Appended> append(ThreadKey key, FrameDraft draft);

  /**
   * Appends {@code drafts} in order, each as {@link #append} would (idempotency, seq, ts,
   * retention, fencing), in one atomic step (one round trip for a remote journal). It stops
   * after the first draft whose idempotency key is already journaled: the answer has one
   * {@link Appended} per draft up to and including that one (the last with {@code created =
   * false}) and the drafts after it are not written, so a caller can look at the journaled frame
   * before it appends the rest with another call. Without a duplicate the answer has one result
   * per draft. A fenced call writes nothing. An empty list answers an empty list.
   *
   * <p>The default appends one draft after another (not atomic, one call each), for wrappers
   * and journals that cannot do better; both journals of this module override it.
   */
  default Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts) {
    return appendFrom(this, key, drafts, 0, new java.util.ArrayList<>(drafts.size()));
  }

  private static Future<List<Appended>> appendFrom(Journal journal, ThreadKey key,
      List<FrameDraft> drafts, int i, List<Appended> done) {
    if (i >= drafts.size()) {
      return Future.succeededFuture(done);
    }
    return journal.append(key, drafts.get(i)).compose(appended -> {
      done.add(appended);
      if (!appended.created()) {
        return Future.succeededFuture(done);
      }
      return appendFrom(journal, key, drafts, i + 1, done);
    });
  }

  /**
   * {@link #appendAll(ThreadKey, List, String)} for a batch whose last draft is the ending frame
   * of reply job {@code job} of thread {@code key} (its {@code typing {on: false}}): when the
   * answer's last result is that draft, newly journaled, the job's pending record (the one
   * {@link #appendSend} saved in {@code key}'s shard) is forgotten in the same atomic step. So a
   * reply that ended is never pending, and one that is pending has not ended: a relay taking over
   * the shard resumes exactly the replies whose ending is not journaled. When the answer stops
   * before the last draft or finds it journaled already, the record is left to the caller
   * ({@link #removePendingJob}). A fenced call writes and forgets nothing.
   */
  Future<List<Appended>> appendEnding(ThreadKey key, List<FrameDraft> drafts, String epochIfNew,
      String job);

  /** True when {@code answer} to {@link #appendEnding} forgot the job's pending record. */
  static boolean forgotPending(List<FrameDraft> drafts, List<Appended> answer) {
    return !drafts.isEmpty() && answer.size() == drafts.size()
        && answer.get(answer.size() - 1).created();
  }

  /**
   * Appends the user message of a send as {@link #append} does and, in the same atomic step and
   * only when the message is new, records the send's reply job as pending ({@link
   * #savePendingJob}). So a reply job is pending exactly when its message was journaled: a relay
   * that dies between the two writes cannot lose the reply. {@code job.key()} must be {@code key}.
   */
  Future<Appended> appendSend(ThreadKey key, FrameDraft message, PendingJob job);

  /** Up to {@code limit} retained frames with seq greater than {@code afterSeq}, oldest first. */
  default Future<List<Frame>> read(ThreadKey key, long afterSeq, int limit) {
    return readRetained(key, afterSeq, limit).map(Retained::frames);
  }

  /**
   * As {@link #read}, with the thread's floor read in the same step: a seq missing between the
   * frames answered (or between {@code afterSeq} and the first) is a compacted run when it is at
   * least {@link Retained#oldest()}, and gone with the conversation when below it.
   */
  Future<Retained> readRetained(ThreadKey key, long afterSeq, int limit);

  /**
   * Records a reply job that has not finished, so a later owner of {@code shard} can run it.
   * Saving the same job (thread and job id) again replaces it and keeps its place in the order.
   * Records are bounded ({@link PendingJobLimits}): one not saved again within the TTL is
   * forgotten, and beyond the maximum per shard the oldest is dropped.
   */
  Future<Void> savePendingJob(int shard, PendingJob job);

  /** Forgets a finished reply job; unknown jobs are ignored. */
  Future<Void> removePendingJob(int shard, ThreadKey key, String job);

  /** The unfinished reply jobs of {@code shard} within the limits, in the order they were saved. */
  Future<List<PendingJob>> pendingJobs(int shard);

  /**
   * Takes ownership of {@code shard} and answers its new fencing token (greater than any token
   * handed out for it before, unless the store was lost). From then on this journal's writes for
   * the shard (appends to its threads, pending-job saves and removals) carry the token, and a
   * journal whose token is not the shard's latest fails them with {@link JournalFencedException}:
   * two relays that briefly both own a shard can never both write. A journal that never claimed
   * a shard writes with token 0, accepted only while nobody has claimed it.
   */
  default Future<Long> claimShard(int shard) {
    return Future.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " does not fence shards"));
  }

  /**
   * {@link #claimShard(int)} that records {@code guard.claimant()} as the shard's holder and
   * fails with {@link ShardHeldException}, writing nothing, while the holder is one of
   * {@code guard.spared()}. The default ignores the guard (a journal shared by no other process).
   */
  default Future<Long> claimShard(int shard, ClaimGuard guard) {
    return claimShard(shard);
  }

  /**
   * Records relay {@code node} as alive for {@code ttlMs} (the store's clock), or as gone when
   * {@code alive} is false, and answers the relays alive now. The default has no shared record:
   * it fails with {@link UnsupportedOperationException}, and shard ownership then follows the
   * cluster view alone.
   */
  default Future<java.util.Set<String>> relayLiveness(String node, boolean alive, long ttlMs) {
    return Future.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " keeps no relay liveness"));
  }

  /** The shard's latest fencing token in the store (0 when never claimed or lost). */
  default Future<Long> latestToken(int shard) {
    return Future.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " does not fence shards"));
  }

  /** Forgets this journal's token for {@code shard}: its later writes there carry token 0. */
  default void releaseShard(int shard) {}

  /** Fails unless {@code job} belongs to the thread {@code key} (an implementation check). */
  static void requireSameThread(ThreadKey key, PendingJob job) {
    if (!job.key().equals(key)) {
      throw new IllegalArgumentException("pending job of " + job.key().asString()
          + " saved with a message of " + key.asString());
    }
  }

  /**
   * Moves the journal's I/O onto {@code context}'s event loop when it has any (Redis: its
   * connection), so a caller on that loop gets its answers there without a hop to another
   * thread. Call before the journal is in use; the default has nothing to move.
   */
  default Future<Void> moveTo(io.vertx.core.Context context) {
    return Future.succeededFuture();
  }

  /** Releases connections; the default holds none. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
