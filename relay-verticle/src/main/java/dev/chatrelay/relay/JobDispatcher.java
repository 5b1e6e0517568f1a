package dev.chatrelay.relay;

import dev.chatrelay.relay.RelayEndingWriter.Ending;
import dev.chatrelay.relay.journal.PendingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reply jobs of each thread one at a time in send order, moving each {@link ReplyJob}
 * through its states: dispatches to a worker ({@link DispatchRequests}) with retries and backoff,
 * re-dispatches when a lease expires ({@link JobLeases}), acts on a cancel ({@link
 * WorkerCancels}), starts at most a window of replies at once ({@link DispatchWindow}), and ends a job itself when it was cancelled before any worker ran it or when
 * no worker could run it ({@link RelayEndingWriter}). Event-loop confined.
 */
final class JobDispatcher {

  private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);

  private final RelayRuntime rt;
  private final JobLeases leases;
  private final DispatchRequests requests;
  private final WorkerCancels cancels;
  private final RelayEndingWriter endings;
  private final DispatchBackoff backoff;
  private final DispatchWindow window;

  JobDispatcher(RelayRuntime rt, ThreadAppender appender) {
    this.rt = rt;
    this.leases = new JobLeases(rt);
    this.requests = new DispatchRequests(rt);
    this.cancels = new WorkerCancels(rt);
    this.endings = new RelayEndingWriter(rt, appender);
    this.backoff = new DispatchBackoff(rt.vertx(), this::retryIfStillWaiting);
    this.window = new DispatchWindow(rt.config().dispatchWindow());
    rt.metrics().watch(window);
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
    ReplyJob job = t.queueResumed(pending);
    if (job != null) {
      log.info("event=job.resumed sub={} thread={} job={} lastAttempt={}", t.key.sub(),
          t.key.thread(), job.id, job.attempt());
    }
    return job != null;
  }

  /** Starts the thread's first queued job unless one is running. */
  void start(ThreadState t) {
    startNext(t);
  }

  /** A batch of the current attempt is journaled: the reply has started (its window slot frees). */
  void appendJournaled(ReplyJob job) {
    window.leave(job, this::startNext);
  }

  /**
   * An append or alive of the current attempt arrived: the worker runs it, even when its answer
   * to the dispatch was lost or is still on its way (it is then taken without a cancel address,
   * which the late answer fills in).
   */
  void signOfLife(ThreadState t, ReplyJob job) {
    if (job.state() == ReplyJob.State.DISPATCHING) {
      log.info("event=job.taken_before_answer sub={} thread={} job={} attempt={}", t.key.sub(),
          t.key.thread(), job.id, job.attempt());
      taken(t, job, null);
      return;
    }
    leases.extend(job);
    if (job.cancelled()) {
      cancels.tell(t, job); // again, if the last one may have been lost
    }
  }

  /** Asks for the cancelled ending of a job that is queued or in progress. */
  void cancel(ThreadState t, ReplyJob job) {
    ReplyJob.CancelStep step = job.cancel();
    log.info("event=job.cancel_requested sub={} thread={} job={} state={} attempt={}", t.key.sub(),
        t.key.thread(), job.id, job.state(), job.attempt());
    switch (step) {
      case TELL_WORKER -> cancels.tell(t, job);
      case NEXT_ATTEMPT -> cancelByNextAttempt(t, job);
      case END_NOW -> endByRelay(t, job, Ending.CANCELLED);
      case LATER -> startNext(t); // first in a thread waiting for a window slot: ends now
    }
  }

  /** Ends the current job (last frame journaled), removes its record if left, starts the next. */
  void finish(ThreadState t, ReplyJob job, String outcome, boolean recordLeft) {
    leases.drop(job);
    window.leave(job, this::startNext);
    job.finished();
    if (t.currentJob == job) {
      t.currentJob = null;
    }
    rt.metrics().jobFinished(System.nanoTime() - job.startedNanos());
    log.debug("event=job.finished sub={} thread={} job={} outcome={} attempts={} frames={}", t.key.sub(),
        t.key.thread(), job.id, outcome, job.attempt(), job.nextIndex());
    if (recordLeft) { // else the journal write that ended the reply removed it
      rt.journal().removePendingJob(t.shard, t.key, job.id).onFailure(e -> log.error(
          "event=job.pending_not_removed sub={} thread={} job={} error={}", t.key.sub(),
          t.key.thread(), job.id, e.toString()));
    }
    startNext(t);
  }

  /**
   * Re-dispatches now every running job whose worker was on cluster node {@code node}, which
   * left the cluster: its lease would only run out later. The old attempt is fenced as usual.
   */
  void workerNodeLeft(String node) {
    leases.runAgain(leases.takeOnNode(node), "worker node left node=" + node, this::redispatch);
  }

  /** Re-dispatches every running job whose lease has expired. */
  void expireLeases() {
    leases.runAgain(leases.takeExpired(), "lease expired", this::redispatch);
  }

  /** Forgets the jobs of a thread leaving memory (a new owner runs them from the pending list). */
  void forget(ThreadState t) {
    leases.forget(t);
    window.leave(t.currentJob, this::startNext);
  }

  private void startNext(ThreadState t) {
    if (!t.active || t.currentJob != null) {
      return;
    }
    ReplyJob job = t.queuedJobs.peek();
    if (job == null || (!endsWithoutWorker(job) && !window.enter(t, job))) {
      return; // nothing to start, or it waits in line for a free slot
    }
    t.queuedJobs.poll();
    t.currentJob = job;
    job.started(System.nanoTime());
    redispatch(t, job);
  }

  /** A job cancelled before any frame: the relay ends it without a worker, so it takes no slot. */
  private static boolean endsWithoutWorker(ReplyJob job) {
    return job.cancelled() && job.nextIndex() == 0;
  }

  private void redispatch(ThreadState t, ReplyJob job) {
    if (endsWithoutWorker(job)) {
      endByRelay(t, job, Ending.CANCELLED);
    } else if (job.attempt() >= rt.config().jobMaxAttempts()) {
      abandon(t, job);
    } else {
      dispatch(t, job);
    }
  }

  private void dispatch(ThreadState t, ReplyJob job) {
    int attempt = job.dispatching();
    if (job.isRecorded(attempt)) {
      send(t, job, attempt); // journaled with the send: no write of its own
      return;
    }
    // An attempt that was never recorded is never sent.
    requests.record(t, job, attempt).onComplete(saved -> {
      if (!isCurrent(t, job) || job.attempt() != attempt
          || job.state() != ReplyJob.State.DISPATCHING) {
        return;
      }
      if (saved.succeeded()) {
        job.recorded(attempt);
        send(t, job, attempt);
        return;
      }
      int failures = job.notRecorded();
      long pause = rt.config().retryBackoffMs(failures);
      log.warn("event=job.not_recorded sub={} thread={} job={} attempt={} retryInMs={} error={}",
          t.key.sub(), t.key.thread(), job.id, attempt, pause, saved.cause().toString());
      backoff.wait(t, job, pause);
    });
  }

  private void send(ThreadState t, ReplyJob job, int attempt) {
    requests.request(t, job, attempt).onComplete(ar -> {
      if (!isCurrent(t, job) || job.attempt() != attempt) {
        return;
      }
      job.answered();
      String worker = ar.succeeded() ? ar.result() : null;
      if (job.state() == ReplyJob.State.RUNNING && job.worker() == null) {
        // Taken by its appends before this answer.
        if (worker != null) {
          job.workerKnown(worker);
          if (job.cancelled()) {
            cancels.tell(t, job);
          }
        } else if (job.cancelled()) {
          cancelByNextAttempt(t, job);
        }
        return;
      }
      if (job.state() != ReplyJob.State.DISPATCHING) {
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
    leases.watch(t, job, worker);
    log.debug("event=job.taken sub={} thread={} job={} attempt={} worker={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt(), worker);
    if (job.cancelled()) {
      cancels.tell(t, job);
    }
  }

  private void dispatchFailed(ThreadState t, ReplyJob job, String error) {
    int failures = job.dispatchFailed();
    log.warn("event=job.dispatch_failed sub={} thread={} job={} attempt={} failures={} error={}",
        t.key.sub(), t.key.thread(), job.id, job.attempt(), failures, error);
    if (job.attempt() >= rt.config().jobMaxAttempts()) {
      abandon(t, job);
      return;
    }
    job.waitForRetry();
    rt.metrics().redispatched();
    backoff.wait(t, job, rt.config().retryBackoffMs(failures));
  }

  private void retryIfStillWaiting(ThreadState t, ReplyJob job) {
    if (isCurrent(t, job) && job.state() == ReplyJob.State.WAITING_RETRY) {
      redispatch(t, job);
    }
  }

  /** Dispatches now every job waiting out a backoff (a node joined: a worker may be back). */
  void retryWaitingNow(String why) {
    backoff.endAll(why);
  }

  /**
   * A running attempt whose worker's address never came (its dispatch answer was lost) cannot
   * be told to cancel: the next attempt writes the cancelled ending, and this one is fenced.
   */
  private void cancelByNextAttempt(ThreadState t, ReplyJob job) {
    log.info("event=job.cancel_by_next_attempt sub={} thread={} job={} attempt={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt());
    leases.drop(job);
    redispatch(t, job);
  }

  private void abandon(ThreadState t, ReplyJob job) {
    log.error("event=job.abandoned sub={} thread={} job={} attempts={} frames={} code={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt(), job.nextIndex(), RelayEndings.WORKER_UNAVAILABLE);
    rt.metrics().jobAbandoned();
    endByRelay(t, job, Ending.WORKER_UNAVAILABLE);
  }

  private void endByRelay(ThreadState t, ReplyJob job, Ending ending) {
    leases.drop(job);
    job.endingByRelay();
    // The relay's own endings are rare (cancel before any worker, no worker): removed apart.
    endings.write(t, job, ending).onSuccess(v -> finish(t, job, ending.outcome, true));
  }

  private static boolean isCurrent(ThreadState t, ReplyJob job) {
    return t.active && t.currentJob == job;
  }
}
