package dev.chatrelay.relay;

import dev.chatrelay.relay.journal.FrameDraft;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals the ending the relay writes itself ({@link RelayEndings}) for a job in state ENDING:
 * in the thread's write order, after any write still running, retrying after a journal failure.
 * Event-loop confined.
 */
final class RelayEndingWriter {

  private static final Logger log = LoggerFactory.getLogger(RelayEndingWriter.class);

  /** How the relay ends a job by itself. */
  enum Ending {
    CANCELLED("cancelled"),
    WORKER_UNAVAILABLE(RelayEndings.WORKER_UNAVAILABLE);

    /** The outcome the finished job is logged with. */
    final String outcome;

    Ending(String outcome) {
      this.outcome = outcome;
    }
  }

  private final RelayRuntime rt;
  private final ThreadAppender appender;

  RelayEndingWriter(RelayRuntime rt, ThreadAppender appender) {
    this.rt = rt;
    this.appender = appender;
  }

  /**
   * Writes the ending; completes once all of it is journaled, or fails when the job stopped
   * being the thread's current one meanwhile (the shard was released, or the job ended).
   */
  Future<Void> write(ThreadState t, ReplyJob job, Ending ending) {
    Promise<Void> written = Promise.promise();
    writeUntilDone(t, job, ending, written);
    return written.future();
  }

  private void writeUntilDone(ThreadState t, ReplyJob job, Ending ending, Promise<Void> written) {
    t.writes.submit(() -> {
      if (job.state() != ReplyJob.State.ENDING) {
        // A worker's append journaled the reply's end while this waited: nothing to add.
        return Future.<Void>failedFuture("job " + job.id + " ended meanwhile");
      }
      if (!job.endingPlanned()) {
        // Decided here, after every earlier write of the thread, so the indexes are final.
        job.planEnding(ending == Ending.CANCELLED
            ? RelayEndings.cancelled(job.id, job.nextIndex())
            : RelayEndings.workerUnavailable(job.id, job.nextIndex()));
      }
      return writeRemaining(t, job);
    }).onComplete(ar -> {
      if (!isCurrent(t, job)) {
        written.tryFail("job " + job.id + " is no longer current");
        return;
      }
      if (ar.succeeded()) {
        written.tryComplete();
        return;
      }
      long pause = rt.config().jobRetryBackoffMs();
      log.warn("event=job.ending_not_journaled sub={} thread={} job={} retryInMs={} error={}",
          t.key.sub(), t.key.thread(), job.id, pause, ar.cause().toString());
      rt.vertx().setTimer(pause, id -> {
        if (isCurrent(t, job)) {
          writeUntilDone(t, job, ending, written);
        } else {
          written.tryFail("job " + job.id + " is no longer current");
        }
      });
    });
  }

  private Future<Void> writeRemaining(ThreadState t, ReplyJob job) {
    FrameDraft next = job.nextEndingFrame();
    if (next == null) {
      return Future.succeededFuture();
    }
    return appender.appendNow(t, next).compose(appended -> {
      job.endingFrameWritten(appended.frame().seq());
      return writeRemaining(t, job);
    });
  }

  private static boolean isCurrent(ThreadState t, ReplyJob job) {
    return t.active && t.currentJob == job;
  }
}
