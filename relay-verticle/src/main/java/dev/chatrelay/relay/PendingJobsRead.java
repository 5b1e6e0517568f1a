package dev.chatrelay.relay;

import dev.chatrelay.relay.journal.PendingJob;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a shard's pending jobs when a relay takes it over, again and again with doubling pauses
 * ({@link RelayConfig#retryBackoffMs}) while the read fails and the shard is still held. A
 * failed read is never taken for an empty list: the jobs in it would wait for the next move.
 */
final class PendingJobsRead {

  private static final Logger log = LoggerFactory.getLogger(PendingJobsRead.class);

  private PendingJobsRead() {}

  /**
   * The shard's pending jobs; fails only when {@code held} turned false (the shard was let go
   * meanwhile, so no one may resume its jobs here).
   */
  static Future<List<PendingJob>> until(RelayRuntime rt, int shard, BooleanSupplier held) {
    Promise<List<PendingJob>> result = Promise.promise();
    attempt(rt, shard, held, 1, result);
    return result.future();
  }

  private static void attempt(RelayRuntime rt, int shard, BooleanSupplier held, int attempt,
      Promise<List<PendingJob>> result) {
    rt.journal().pendingJobs(shard).onComplete(ar -> {
      if (ar.succeeded()) {
        if (attempt > 1) {
          log.info("event=shard.pending_read shard={} attempts={} jobs={}", shard, attempt,
              ar.result().size());
        }
        result.complete(ar.result());
        return;
      }
      if (!held.getAsBoolean()) {
        result.fail(new IllegalStateException("shard " + shard + " let go while reading its "
            + "pending jobs: " + ar.cause()));
        return;
      }
      long pause = rt.config().retryBackoffMs(attempt);
      log.warn("event=shard.pending_read_failed shard={} attempt={} retryInMs={} error={}", shard, attempt,
          pause, ar.cause().toString());
      rt.vertx().setTimer(pause, id -> {
        if (held.getAsBoolean()) {
          attempt(rt, shard, held, attempt + 1, result);
        } else {
          result.fail(new IllegalStateException("shard " + shard + " let go while reading its "
              + "pending jobs"));
        }
      });
    });
  }
}
