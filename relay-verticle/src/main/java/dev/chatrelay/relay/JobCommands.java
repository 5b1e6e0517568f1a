package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.relay.journal.Appended;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.protocol.log.LogSafe;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The commands about replies: send, worker appends and progress, cancel. Event-loop confined. */
final class JobCommands {

  private static final Logger log = LoggerFactory.getLogger(JobCommands.class);

  private final RelayRuntime rt;
  private final ThreadAppender appender;
  private final JobDispatcher dispatcher;
  private final AppendBatches batches;

  JobCommands(RelayRuntime rt, ThreadAppender appender, JobDispatcher dispatcher) {
    this.rt = rt;
    this.appender = appender;
    this.dispatcher = dispatcher;
    this.batches = new AppendBatches(appender);
  }

  /**
   * Journals the user message (once per id) together with its pending reply job, so no relay
   * crash can keep one without the other, and queues the job. The job is recorded with its
   * first attempt, so its first dispatch needs no journal write of its own.
   */
  void send(Message<?> msg, ThreadState t, SendCommand cmd) {
    int max = rt.config().limits().maxQueuedReplies();
    if (t.job(cmd.id()) == null && t.unfinishedReplies() >= max) {
      // PROTOCOL.md Limits: nothing is journaled; the same id may be sent again later.
      log.info("event=send.refused sub={} thread={} code={} queued={}", LogSafe.of(t.key.sub()),
          t.key.thread(), BusFailure.RATE_LIMITED, t.unfinishedReplies());
      msg.fail(BusFailure.RATE_LIMITED, "more than " + max + " replies queued on this thread");
      return;
    }
    PendingJob pending = new PendingJob(t.key, cmd.id(), cmd.text(),
        ReplyJob.FIRST_ATTEMPT);
    t.sendsInFlight++;
    appender.appendSend(t, FrameDraft.userMessage(cmd.id(), cmd.text()), pending).onComplete(ar -> {
      t.sendsInFlight--;
      if (ar.failed()) {
        Replies.fail(msg, SendCommand.TAG, t.key, ar.cause());
        return;
      }
      Appended appended = ar.result();
      long seq = appended.frame().seq();
      msg.reply(new SendAccepted(seq));
      if (!appended.created()) {
        log.info("event=send.repeated sub={} thread={} id={} seq={}", t.key.sub(), t.key.thread(),
            cmd.id(), seq);
        if (t.job(cmd.id()) == null) {
          resumeIfPending(t, cmd.id());
        }
        return;
      }
      log.debug("event=send.journaled sub={} thread={} id={} seq={}", t.key.sub(), t.key.thread(),
          cmd.id(), seq);
      dispatcher.enqueue(t, ReplyJob.ofSend(cmd.id(), cmd.text()));
    });
  }

  /**
   * A repeated send whose reply this relay neither queued nor runs: the first try may have been
   * journaled together with its pending job while its answer was lost (Redis stopped right after
   * running the script), so nothing queued the job and the reply would never come. Queues it
   * from the journal's pending jobs; a reply that already ended is not pending any more.
   */
  private void resumeIfPending(ThreadState t, String id) {
    // Read until read: the send was answered, so no retry of the client would bring it back.
    PendingJobsRead.until(rt, t.shard, () -> t.active).onSuccess(all -> {
      for (PendingJob pending : all) {
        if (pending.key().equals(t.key) && pending.job().equals(id)) {
          dispatcher.resume(t, pending);
        }
      }
    });
  }

  /**
   * Journals the frames of a worker's append as one task of the thread's write order, after the
   * attempt check: appends of an attempt that is not current are fenced, a batch starting above
   * the job's next index is out of order. Subscribers are pumped once per batch (see {@link
   * ThreadAppender#holdingPumps}); the batch that journals the reply's last frame ends the job.
   */
  void append(Message<?> msg, ThreadState t, AppendCommand cmd) {
    t.writes.submit(() -> {
      ReplyJob job = t.currentJob;
      if (job == null || !job.acceptsAppendsFrom(cmd.job(), cmd.attempt())) {
        log.info("event=append.fenced sub={} thread={} job={} attempt={} index={} code={}",
            t.key.sub(), t.key.thread(), cmd.job(), cmd.attempt(), cmd.index(), BusFailure.FENCED);
        msg.fail(BusFailure.FENCED, "job attempt is not current");
        return Future.succeededFuture();
      }
      dispatcher.signOfLife(t, job);
      if (cmd.index() > job.nextIndex()) {
        msg.fail(BusFailure.OUT_OF_ORDER, "expected index " + job.nextIndex());
        return Future.succeededFuture();
      }
      return appender.holdingPumps(t, () -> batches.journal(msg, t, job, cmd).map(end -> {
        dispatcher.appendJournaled(job);
        if (end.ended()) {
          dispatcher.finish(t, job, job.cancelled() ? "cancelled" : "done",
              end == AppendBatches.BatchEnd.ENDED);
        }
        return null;
      }));
    });
  }

  /**
   * A worker's alive or done, after every append it sent before. Only alive matters: a job ends
   * when its last frame is journaled (see {@link AppendBatches}), so a worker sends {@code done}
   * only when its attempt journaled no ending of its own, and a lost one holds nothing; a done
   * after the end (an older worker's) finds the job gone and is ignored; a done for a reply whose
   * end is not journaled is a worker that stopped early, and the lease re-dispatches the job.
   */
  void progress(ThreadState t, JobProgress progress) {
    t.writes.submit(() -> {
      ReplyJob job = t.currentJob;
      if (job == null || !job.acceptsAppendsFrom(progress.job(), progress.attempt())) {
        log.debug("event=job.progress_ignored sub={} thread={} job={} attempt={} done={}", t.key.sub(),
            t.key.thread(), progress.job(), progress.attempt(), progress.done());
      } else if (progress.done()) {
        log.warn("event=job.done_before_end sub={} thread={} job={} attempt={} frames={}",
            t.key.sub(), t.key.thread(), job.id, job.attempt(), job.nextIndex());
      } else {
        dispatcher.signOfLife(t, job);
      }
      return Future.succeededFuture();
    });
  }

  /** Cancels the reply to send {@code replyTo}; NOT_FOUND when none is queued or running. */
  void cancel(Message<?> msg, ThreadState t, CancelCommand cmd) {
    ReplyJob job = t.job(cmd.replyTo());
    if (job == null) {
      log.info("event=cancel.not_found sub={} thread={} replyTo={} code={}", t.key.sub(),
          t.key.thread(), cmd.replyTo(), BusFailure.NOT_FOUND);
      msg.fail(BusFailure.NOT_FOUND, "no reply in progress for " + cmd.replyTo());
      return;
    }
    dispatcher.cancel(t, job);
    msg.reply(new JsonObject());
  }
}
