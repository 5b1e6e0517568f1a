package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.bus.AppendAccepted;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.relay.journal.Appended;
import dev.chatrelay.relay.journal.FrameDraft;
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

  private final ThreadAppender appender;

  AppendBatches(ThreadAppender appender) {
    this.appender = appender;
  }

  /**
   * Journals the batch (whose first index is at most the job's next one) and answers {@code msg};
   * completes with true when it journaled the reply's last frame, so the job is over.
   */
  Future<Boolean> journal(Message<?> msg, ThreadState t, ReplyJob job, AppendCommand cmd) {
    return journalFrom(msg, t, job, cmd, job.nextIndex() - cmd.index());
  }

  /**
   * Journals part {@code i} of the batch and the ones after it with one journal call, then
   * answers once. The journal stops after a frame that was journaled already; when that frame
   * ends the reply the job is found complete, else the rest goes in another call (after the
   * attempt check again).
   */
  private Future<Boolean> journalFrom(Message<?> msg, ThreadState t, ReplyJob job,
      AppendCommand cmd, int i) {
    if (i >= cmd.frames().size()) {
      msg.reply(new AppendAccepted(job.seqOf(cmd.lastIndex())));
      return Future.succeededFuture(false);
    }
    if (t.currentJob != job || !job.acceptsAppendsFrom(cmd.job(), cmd.attempt())) {
      // The lease expired while earlier parts were journaled: a newer attempt owns the rest.
      msg.fail(BusFailure.FENCED, "job attempt is not current");
      return Future.succeededFuture(false);
    }
    List<FrameDraft> drafts = new ArrayList<>(cmd.frames().size() - i);
    for (int p = i; p < cmd.frames().size(); p++) {
      AppendCommand.Part part = cmd.frames().get(p);
      drafts.add(FrameDraft.reply(job.id, cmd.index() + p, part.kind(), part.data()));
    }
    return appender.appendAllNow(t, drafts).transform(ar -> {
      if (ar.failed()) {
        Replies.fail(msg, AppendCommand.TAG, t.key, ar.cause());
        return Future.succeededFuture(false);
      }
      List<Appended> all = ar.result();
      if (all.isEmpty()) {
        Replies.fail(msg, AppendCommand.TAG, t.key,
            new IllegalStateException("journal answered no frame"));
        return Future.succeededFuture(false);
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
          return Future.succeededFuture(true);
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
    if (frame.kind() != FrameKind.TYPING) {
      return false;
    }
    return !(appended.created() ? draft.data() : frame.data()).getBoolean("on", true);
  }
}
