package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.NodeIds;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running jobs whose lease is watched, with their thread: a worker's sign of life extends a
 * lease, and the jobs whose lease ran out (or whose worker's node left) are taken out and run
 * again by the dispatcher. Event-loop confined.
 */
final class JobLeases {

  private static final Logger log = LoggerFactory.getLogger(JobLeases.class);

  /** A leased job with its thread. */
  record Leased(ThreadState thread, ReplyJob job) {}

  private final RelayRuntime rt;
  private final Map<ReplyJob, ThreadState> leased = new LinkedHashMap<>();

  JobLeases(RelayRuntime rt) {
    this.rt = rt;
  }

  /** The end of a lease that starts or is extended now. */
  long untilFromNow() {
    return rt.now() + rt.config().jobLeaseMs();
  }

  /** A worker took the job: its lease is watched from now on. */
  void watch(ThreadState t, ReplyJob job, String worker) {
    job.taken(worker, untilFromNow());
    leased.put(job, t);
  }

  /** Extends the lease of a job whose worker showed a sign of life. */
  void extend(ReplyJob job) {
    job.extendLease(untilFromNow());
  }

  /** Stops watching the job: it ended, or no worker runs it any more. */
  void drop(ReplyJob job) {
    leased.remove(job);
  }

  /** Stops watching the jobs of a thread leaving memory (a new owner runs them from the pending list). */
  void forget(ThreadState t) {
    if (t.currentJob != null) {
      leased.remove(t.currentJob);
    }
  }

  /**
   * Hands each job taken out that still runs as its thread's current job to {@code again}, in
   * the thread's write order: an append of the old attempt still being journaled counts in the
   * new attempt's fromIndex, which a model's restart relies on.
   */
  void runAgain(List<Leased> picked, String why, BiConsumer<ThreadState, ReplyJob> again) {
    for (Leased leased : picked) {
      ReplyJob job = leased.job();
      ThreadState t = leased.thread();
      if (!stillRunning(t, job)) {
        continue;
      }
      log.warn("event=job.redispatch reason=\"{}\" sub={} thread={} job={} attempt={} worker={}"
          + " frames={}", why, t.key.sub(), t.key.thread(), job.id, job.attempt(), job.worker(),
          job.nextIndex());
      rt.metrics().redispatched();
      t.writes.submit(() -> {
        if (stillRunning(t, job)) {
          again.accept(t, job);
        }
        return Future.succeededFuture();
      });
    }
  }

  private static boolean stillRunning(ThreadState t, ReplyJob job) {
    return t.active && t.currentJob == job && job.state() == ReplyJob.State.RUNNING;
  }

  /** Takes out every job whose lease has run out. */
  List<Leased> takeExpired() {
    long now = rt.now();
    return take(job -> job.leaseUntil() <= now);
  }

  /** Takes out the jobs whose worker runs on cluster node {@code node}. */
  List<Leased> takeOnNode(String node) {
    return take(job -> {
      String worker = Addresses.workerId(job.worker());
      return worker != null && NodeIds.onNode(worker, node);
    });
  }

  /** Takes out the jobs {@code which} picks. */
  List<Leased> take(Predicate<ReplyJob> which) {
    List<Leased> picked = new ArrayList<>();
    for (Iterator<Map.Entry<ReplyJob, ThreadState>> it = leased.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<ReplyJob, ThreadState> e = it.next();
      if (which.test(e.getKey())) {
        picked.add(new Leased(e.getValue(), e.getKey()));
        it.remove();
      }
    }
    return picked;
  }
}
