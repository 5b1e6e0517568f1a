package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobCancel;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.protocol.bus.NodeIds;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.PendingJob;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reply jobs of each thread one at a time in send order: dispatches to a worker with a
 * timeout, retries with backoff, re-dispatches when a lease expires, and ends a job itself when it
 * was cancelled before any worker ran it or when no worker could run it. Event-loop confined.
 */
final class JobDispatcher {

  private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);

  /** How the relay ends a job by itself. */
  enum Ending { CANCELLED, WORKER_UNAVAILABLE }

  private final RelayRuntime rt;
  private final ThreadAppender appender;
  /** Running jobs whose lease is watched, with their thread. */
  private final Map<ReplyJob, ThreadState> leased = new LinkedHashMap<>();

  JobDispatcher(RelayRuntime rt, ThreadAppender appender) {
    this.rt = rt;
    this.appender = appender;
  }

  /** Queues a job behind the thread's others and starts it when it is first. */
  void enqueue(ThreadState t, ReplyJob job) {
    if (!t.active) {
      return;
    }
    t.queuedJobs.add(job);
    log.debug("event=job.queued sub={} thread={} job={} queued={}", t.key.sub(), t.key.thread(), job.id,
        t.queuedJobs.size());
    startNext(t);
  }

  /** Queues a job found in the journal's pending list and starts it when it is first. */
  void resume(ThreadState t, PendingJob pending) {
    if (queueResumed(t, pending)) {
      startNext(t);
    }
  }

  /**
   * Queues a job found in the pending list of a shard this relay is acquiring, without starting
   * it: its worker's appends must find the shard consuming, so {@link #start} runs it after the
   * consumer is registered. Returns whether it was queued (not already known here).
   */
  boolean queueResumed(ThreadState t, PendingJob pending) {
    if (!t.active || t.job(pending.job()) != null) {
      return false;
    }
    ReplyJob job = new ReplyJob(pending.job(), pending.text());
    job.attempt = pending.attempt();
    job.recordedAttempt = pending.attempt();
    log.info("event=job.resumed sub={} thread={} job={} lastAttempt={}", t.key.sub(), t.key.thread(),
        job.id, job.attempt);
    t.queuedJobs.add(job);
    return true;
  }

  /** Starts the thread's first queued job unless one is running. */
  void start(ThreadState t) {
    startNext(t);
  }

  /** Extends the lease of a job whose worker showed a sign of life. */
  void extendLease(ReplyJob job) {
    job.leaseUntil = rt.now() + rt.config().jobLeaseMs();
  }

  /**
   * An append of the current attempt arrived: the worker runs it, even when its answer to the
   * dispatch was lost or is still on its way (it is then taken without a cancel address, which
   * the late answer fills in).
   */
  void appendArrived(ThreadState t, ReplyJob job) {
    signOfLife(t, job);
  }

  /** An alive of the current attempt arrived. */
  void aliveArrived(ThreadState t, ReplyJob job) {
    signOfLife(t, job);
  }

  private void signOfLife(ThreadState t, ReplyJob job) {
    if (job.state == ReplyJob.State.DISPATCHING) {
      log.info("event=job.taken_before_answer sub={} thread={} job={} attempt={}", t.key.sub(),
          t.key.thread(), job.id, job.attempt);
      taken(t, job, null);
      return;
    }
    extendLease(job);
    if (job.cancelled) {
      sendCancel(t, job); // again, if the last one may have been lost
    }
  }

  /** Asks for the cancelled ending of a job that is queued or in progress. */
  void cancel(ThreadState t, ReplyJob job) {
    job.cancelled = true;
    log.info("event=job.cancel_requested sub={} thread={} job={} state={} attempt={}", t.key.sub(),
        t.key.thread(), job.id, job.state, job.attempt);
    switch (job.state) {
      case RUNNING -> {
        if (job.worker != null) {
          sendCancel(t, job);
        } else if (!job.awaitingAnswer) {
          cancelByNextAttempt(t, job);
        } // else: the dispatch answer (or its timeout) decides, see send
      }
      case WAITING_RETRY -> {
        if (job.nextIndex() == 0) {
          endByRelay(t, job, Ending.CANCELLED);
        }
      }
      default -> {
        // QUEUED ends in its turn, DISPATCHING is told once taken, ENDING ends anyway.
      }
    }
  }

  /** Ends the current job after its worker said done. */
  void finish(ThreadState t, ReplyJob job, String outcome) {
    leased.remove(job);
    job.state = ReplyJob.State.DONE;
    if (t.currentJob == job) {
      t.currentJob = null;
    }
    rt.metrics().jobFinished(System.nanoTime() - job.startedNanos);
    log.debug("event=job.finished sub={} thread={} job={} outcome={} attempts={} frames={}", t.key.sub(),
        t.key.thread(), job.id, outcome, job.attempt, job.nextIndex());
    rt.journal().removePendingJob(t.shard, t.key, job.id).onFailure(e ->
        log.error("event=job.pending_not_removed sub={} thread={} job={} error={}", t.key.sub(),
            t.key.thread(), job.id, e.toString()));
    startNext(t);
  }

  /**
   * Re-dispatches now every running job whose worker was on cluster node {@code node}, which
   * left the cluster: its lease would only run out later. The old attempt is fenced as usual.
   */
  void workerNodeLeft(String node) {
    redispatchLeased(job -> {
      String worker = Addresses.workerId(job.worker);
      return worker != null && NodeIds.onNode(worker, node);
    }, "worker node left node=" + node);
  }

  /** Re-dispatches every running job whose lease has expired. */
  void expireLeases() {
    long now = rt.now();
    redispatchLeased(job -> job.leaseUntil <= now, "lease expired");
  }

  /** Takes the leased jobs {@code which} picks away from their worker and dispatches them again. */
  private void redispatchLeased(Predicate<ReplyJob> which, String why) {
    List<Map.Entry<ReplyJob, ThreadState>> picked = new ArrayList<>();
    for (Map.Entry<ReplyJob, ThreadState> e : leased.entrySet()) {
      if (which.test(e.getKey())) {
        picked.add(e);
      }
    }
    for (Map.Entry<ReplyJob, ThreadState> e : picked) {
      ReplyJob job = e.getKey();
      ThreadState t = e.getValue();
      leased.remove(job);
      if (!isCurrent(t, job) || job.state != ReplyJob.State.RUNNING) {
        continue;
      }
      log.warn("event=job.redispatch reason=\"{}\" sub={} thread={} job={} attempt={} worker={}"
          + " frames={}", why, t.key.sub(), t.key.thread(), job.id, job.attempt, job.worker,
          job.nextIndex());
      rt.metrics().redispatched();
      // In the thread's write order: an append of the old attempt still being journaled counts
      // in the new attempt's fromIndex, which a model's restart relies on.
      t.writes.submit(() -> {
        if (isCurrent(t, job) && job.state == ReplyJob.State.RUNNING) {
          redispatch(t, job);
        }
        return Future.succeededFuture();
      });
    }
  }

  /** Forgets the jobs of a thread leaving memory (a new owner runs them from the pending list). */
  void forget(ThreadState t) {
    if (t.currentJob != null) {
      leased.remove(t.currentJob);
    }
  }

  private void startNext(ThreadState t) {
    if (!t.active || t.currentJob != null) {
      return;
    }
    ReplyJob job = t.queuedJobs.poll();
    if (job == null) {
      return;
    }
    t.currentJob = job;
    job.startedNanos = System.nanoTime();
    redispatch(t, job);
  }

  private void redispatch(ThreadState t, ReplyJob job) {
    if (job.cancelled && job.nextIndex() == 0) {
      endByRelay(t, job, Ending.CANCELLED);
    } else if (job.attempt >= rt.config().jobMaxAttempts()) {
      abandon(t, job);
    } else {
      dispatch(t, job);
    }
  }

  private void dispatch(ThreadState t, ReplyJob job) {
    job.attempt++;
    job.state = ReplyJob.State.DISPATCHING;
    job.worker = null;
    int attempt = job.attempt;
    if (attempt <= job.recordedAttempt) {
      send(t, job, attempt); // journaled with the send: no write of its own
      return;
    }
    // Recorded before it is sent: a later owner of the shard resumes above this attempt, so this
    // attempt's worker is fenced there; an attempt that was never recorded is never sent.
    rt.journal().savePendingJob(t.shard, new PendingJob(t.key, job.id, job.text, attempt))
        .onComplete(saved -> {
          if (!isCurrent(t, job) || job.attempt != attempt
              || job.state != ReplyJob.State.DISPATCHING) {
            return;
          }
          if (saved.succeeded()) {
            job.recordedAttempt = attempt;
            send(t, job, attempt);
            return;
          }
          job.attempt--; // never sent: the number may be used again
          job.failures++;
          job.state = ReplyJob.State.WAITING_RETRY;
          long pause = rt.config().retryBackoffMs(job.failures);
          log.warn("event=job.not_recorded sub={} thread={} job={} attempt={} retryInMs={} error={}",
              t.key.sub(), t.key.thread(), job.id, attempt, pause, saved.cause().toString());
          rt.vertx().setTimer(pause, id -> {
            if (isCurrent(t, job) && job.state == ReplyJob.State.WAITING_RETRY) {
              redispatch(t, job);
            }
          });
        });
  }

  private void send(ThreadState t, ReplyJob job, int attempt) {
    JobDispatch dispatch = new JobDispatch(t.key, job.id, job.id, job.text, attempt,
        job.nextIndex(), job.cancelled);
    log.debug("event=job.dispatched sub={} thread={} job={} attempt={} fromIndex={} cancelled={}",
        t.key.sub(), t.key.thread(), job.id, attempt, job.nextIndex(), job.cancelled);
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(rt.config().jobDispatchTimeoutMs());
    job.awaitingAnswer = true;
    BusSends.request(rt.bus(), Addresses.WORKER_JOBS, dispatch, options).onComplete(ar -> {
      if (!isCurrent(t, job) || job.attempt != attempt) {
        return;
      }
      job.awaitingAnswer = false;
      String worker = ar.succeeded() ? workerOf(ar.result().body()) : null;
      if (job.state == ReplyJob.State.RUNNING && job.worker == null) {
        // Taken by its appends before this answer.
        if (worker != null) {
          job.worker = worker; // now a cancel can reach it
          if (job.cancelled) {
            sendCancel(t, job);
          }
        } else if (job.cancelled) {
          cancelByNextAttempt(t, job);
        }
        return;
      }
      if (job.state != ReplyJob.State.DISPATCHING) {
        return;
      }
      if (worker != null) {
        taken(t, job, worker);
      } else {
        dispatchFailed(t, job,
            ar.failed() ? ar.cause().toString() : "reply without a worker id");
      }
    });
  }

  private void taken(ThreadState t, ReplyJob job, String worker) {
    job.worker = worker;
    job.state = ReplyJob.State.RUNNING;
    job.failures = 0;
    extendLease(job);
    leased.put(job, t);
    log.debug("event=job.taken sub={} thread={} job={} attempt={} worker={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt, worker);
    if (job.cancelled) {
      sendCancel(t, job);
    }
  }

  private void dispatchFailed(ThreadState t, ReplyJob job, String error) {
    job.failures++;
    log.warn("event=job.dispatch_failed sub={} thread={} job={} attempt={} failures={} error={}",
        t.key.sub(), t.key.thread(), job.id, job.attempt, job.failures, error);
    if (job.attempt >= rt.config().jobMaxAttempts()) {
      abandon(t, job);
      return;
    }
    job.state = ReplyJob.State.WAITING_RETRY;
    rt.metrics().redispatched();
    rt.vertx().setTimer(rt.config().retryBackoffMs(job.failures), id -> {
      if (isCurrent(t, job) && job.state == ReplyJob.State.WAITING_RETRY) {
        redispatch(t, job);
      }
    });
  }

  /**
   * A running attempt whose worker's address never came (its dispatch answer was lost) cannot
   * be told to cancel: the next attempt writes the cancelled ending, and this one is fenced.
   */
  private void cancelByNextAttempt(ThreadState t, ReplyJob job) {
    log.info("event=job.cancel_by_next_attempt sub={} thread={} job={} attempt={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt);
    leased.remove(job);
    redispatch(t, job);
  }

  /**
   * Tells the worker to cancel; sent again on a later sign of life of the same attempt once the
   * resend pause has passed, since a JobCancel can be lost like any bus message.
   */
  private void sendCancel(ThreadState t, ReplyJob job) {
    long now = rt.now();
    if (job.worker == null || (job.cancelSentFor == job.attempt
        && now - job.cancelSentAt < rt.config().deliveryResendMs())) {
      return;
    }
    job.cancelSentFor = job.attempt;
    job.cancelSentAt = now;
    BusSends.send(rt.bus(), job.worker, new JobCancel(t.key, job.id, job.attempt));
    log.info("event=job.cancel_sent sub={} thread={} job={} attempt={} worker={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt, job.worker);
  }

  private void abandon(ThreadState t, ReplyJob job) {
    log.error("event=job.abandoned sub={} thread={} job={} attempts={} frames={} code={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt, job.nextIndex(), RelayEndings.WORKER_UNAVAILABLE);
    rt.metrics().jobAbandoned();
    endByRelay(t, job, Ending.WORKER_UNAVAILABLE);
  }

  private void endByRelay(ThreadState t, ReplyJob job, Ending ending) {
    leased.remove(job);
    job.state = ReplyJob.State.ENDING;
    job.ending = null;
    writeEnding(t, job, ending);
  }

  /** Writes the ending in the thread's write order; retries after a journal failure. */
  private void writeEnding(ThreadState t, ReplyJob job, Ending ending) {
    t.writes.submit(() -> {
      if (job.ending == null) {
        // Decided here, after every earlier write of the thread, so the indexes are final.
        job.ending = ending == Ending.CANCELLED
            ? RelayEndings.cancelled(job.id, job.nextIndex())
            : RelayEndings.workerUnavailable(job.id, job.nextIndex());
      }
      return writeRemaining(t, job);
    }).onComplete(ar -> {
      if (!isCurrent(t, job)) {
        return;
      }
      if (ar.succeeded()) {
        finish(t, job, ending == Ending.CANCELLED ? "cancelled" : RelayEndings.WORKER_UNAVAILABLE);
        return;
      }
      long pause = rt.config().jobRetryBackoffMs();
      log.warn("event=job.ending_not_journaled sub={} thread={} job={} retryInMs={} error={}",
          t.key.sub(), t.key.thread(), job.id, pause, ar.cause().toString());
      rt.vertx().setTimer(pause, id -> {
        if (isCurrent(t, job)) {
          writeEnding(t, job, ending);
        }
      });
    });
  }

  private Future<Void> writeRemaining(ThreadState t, ReplyJob job) {
    if (job.ending.isEmpty()) {
      return Future.succeededFuture();
    }
    FrameDraft next = job.ending.get(0);
    return appender.appendNow(t, next).compose(appended -> {
      job.frameSeqs.add(appended.frame().seq());
      job.ending = job.ending.subList(1, job.ending.size());
      return writeRemaining(t, job);
    });
  }

  /** The cancel address in a worker's {@link JobTaken}, or null when the answer is not one. */
  private static String workerOf(Object body) {
    try {
      return BusBodies.as(body, JobTaken.class, JobTaken::fromJson).worker();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isCurrent(ThreadState t, ReplyJob job) {
    return t.active && t.currentJob == job;
  }
}
