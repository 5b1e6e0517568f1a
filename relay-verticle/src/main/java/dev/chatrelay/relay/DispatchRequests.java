package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.relay.journal.PendingJob;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two bus and journal calls of one dispatch attempt: record it, then offer it to the workers. */
final class DispatchRequests {

  private static final Logger log = LoggerFactory.getLogger(DispatchRequests.class);

  private final RelayRuntime rt;

  DispatchRequests(RelayRuntime rt) {
    this.rt = rt;
  }

  /**
   * Records attempt {@code attempt} in the shard's pending jobs before it is sent: a later owner
   * of the shard resumes above it, so this attempt's worker is fenced there.
   */
  Future<Void> record(ThreadState t, ReplyJob job, int attempt) {
    return rt.journal().savePendingJob(t.shard, new PendingJob(t.key, job.id, job.text, attempt));
  }

  /**
   * Offers attempt {@code attempt} on {@code worker.jobs}; completes with the cancel address of
   * the worker that took it, null when the answer named none, or fails (no worker, timeout).
   */
  Future<String> request(ThreadState t, ReplyJob job, int attempt) {
    JobDispatch dispatch = new JobDispatch(t.key, job.id, job.id, job.text, attempt,
        job.nextIndex(), job.cancelled());
    log.debug("event=job.dispatched sub={} thread={} job={} attempt={} fromIndex={} cancelled={}",
        t.key.sub(), t.key.thread(), job.id, attempt, job.nextIndex(), job.cancelled());
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(rt.config().jobDispatchTimeoutMs());
    job.requestSent();
    return BusSends.request(rt.bus(), Addresses.WORKER_JOBS, dispatch, options)
        .map(answer -> workerOf(answer.body()));
  }

  /** The cancel address in a worker's {@link JobTaken}, or null when the answer is not one. */
  private static String workerOf(Object body) {
    try {
      return BusBodies.as(body, JobTaken.class, JobTaken::fromJson).worker();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
