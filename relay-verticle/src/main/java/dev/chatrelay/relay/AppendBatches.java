package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.bus.AppendAccepted;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.relay.journal.Appended;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals the frames of a worker's append batch for the job's current attempt, in index order,
 * and answers the worker. Frames below the job's next index were journaled already (a retried
 * batch) and are skipped. Event-loop confined; runs inside a task of the thread's write order.
 */
final class AppendBatches {

  private static final Logger log = LoggerFactory.getLogger(AppendBatches.class);

  /** What a journaled batch did to its job. */
  enum BatchEnd {
    /** The reply goes on (or the batch was refused). */
    OPEN,
    /** The reply's last frame is journaled; its pending record is still to be removed. */
    ENDED,
    /** The reply's last frame was journaled with its pending record's removal, in one step. */
    ENDED_RECORD_GONE;

    boolean ended() {
      return this != OPEN;
    }
  }

  private final ThreadAppender appender;

  AppendBatches(ThreadAppender appender) {
    this.appender = appender;
  }

  /**
   * Journals the batch (whose first index is at most the job's next one) and answers {@code msg};
   * completes with whether it journaled the reply's last frame, so the job is over.
   */
  Future<BatchEnd> journal(Message<?> msg, ThreadState t, ReplyJob job, AppendCommand cmd) {
    return journalFrom(msg, t, job, cmd, job.nextIndex() - cmd.index());
  }

  /**
   * Journals part {@code i} of the batch and the ones after it with one journal call, then
   * answers once. The journal stops after a frame that was journaled already; when that frame
   * ends the reply the job is found complete, else the rest goes in another call (after the
   * attempt check again).
   */
  private Future<BatchEnd> journalFrom(Message<?> msg, ThreadState t, ReplyJob job,
      AppendCommand cmd, int i) {
    if (i >= cmd.frames().size()) {
      msg.reply(new AppendAccepted(job.seqOf(cmd.lastIndex())));
      return Future.succeededFuture(BatchEnd.OPEN);
    }
    if (t.currentJob != job || !job.acceptsAppendsFrom(cmd.job(), cmd.attempt())) {
      // The lease expired while earlier parts were journaled: a newer attempt owns the rest.
      msg.fail(BusFailure.FENCED, "job attempt is not current");
      return Future.succeededFuture(BatchEnd.OPEN);
    }
    List<FrameDraft> drafts = new ArrayList<>(cmd.frames().size() - i);
    for (int p = i; p < cmd.frames().size(); p++) {
      AppendCommand.Part part = cmd.frames().get(p);
      drafts.add(FrameDraft.reply(job.id, cmd.index() + p, part.kind(), part.data()));
    }
    // A batch ending the reply forgets the job's pending record in the same journal write.
    String endingJob = endsReply(drafts.get(drafts.size() - 1)) ? job.id : null;
    return appender.appendAllNow(t, drafts, endingJob).transform(ar -> {
      if (ar.failed()) {
        Replies.fail(msg, AppendCommand.TAG, t.key, ar.cause());
        return Future.succeededFuture(BatchEnd.OPEN);
      }
      List<Appended> all = ar.result();
      if (all.isEmpty()) {
        Replies.fail(msg, AppendCommand.TAG, t.key,
            new IllegalStateException("journal answered no frame"));
        return Future.succeededFuture(BatchEnd.OPEN);
      }
      for (int j = 0; j < all.size(); j++) {
        int index = cmd.index() + i + j;
        Appended appended = all.get(j);
        Frame frame = appended.frame();
        job.frameJournaled(index, frame.seq());
        if (endsReply(appended, drafts.get(j))) {
          // The reply's last frame is journaled: the job is over, whatever becomes of the
          // worker's done. Found already journaled, a previous owner's attempt wrote the whole
          // reply, and a new attempt must not add to it (a second ending).
          if (appended.created()) { // one a reply: INFO would be thousands of lines a second
            log.debug("event=job.ended sub={} thread={} job={} attempt={} index={} foundComplete=false",
                t.key.sub(), t.key.thread(), job.id, job.attempt(), index);
          } else {
            log.info("event=job.ended sub={} thread={} job={} attempt={} index={} foundComplete=true",
                t.key.sub(), t.key.thread(), job.id, job.attempt(), index);
          }
          msg.reply(new AppendAccepted(frame.seq()));
          boolean recordGone = endingJob != null && Journal.forgotPending(drafts, all);
          return Future.succeededFuture(recordGone ? BatchEnd.ENDED_RECORD_GONE : BatchEnd.ENDED);
        }
      }
      return journalFrom(msg, t, job, cmd, i + all.size());
    });
  }

  /**
   * True for the last frame of every reply: {@code typing {on: false}}. A frame just made from
   * {@code draft} is read from the draft's payload (no parse of the wire text); one found
   * journaled already from its own.
   */
  private static boolean endsReply(Appended appended, FrameDraft draft) {
    Frame frame = appended.frame();
    return appended.created() ? endsReply(draft)
        : frame.kind() == FrameKind.TYPING && !frame.data().getBoolean("on", true);
  }

  private static boolean endsReply(FrameDraft draft) {
    return draft.kind() == FrameKind.TYPING && !draft.data().getBoolean("on", true);
  }
}
