package dev.chatrelay.worker;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.reply.ReplyFrame;
import io.vertx.core.Vertx;

/**
 * The progress one job attempt reports to its relay shard: alive every interval while it runs
 * (the relay extends the lease), and done at the end only when the attempt's own appends did not
 * journal the reply's ending. The relay ends a job when it journals that ending (typing off), so
 * a done after it would be one more bus message per reply that changes nothing; an attempt that
 * found its reply ended and had nothing to journal still says done. Runs on the worker's context.
 */
final class AttemptProgress {

  private final Vertx vertx;
  private final JobDispatch job;
  private final String shardAddress;
  private long aliveTimer = -1;

  AttemptProgress(Vertx vertx, JobDispatch job, String shardAddress) {
    this.vertx = vertx;
    this.job = job;
    this.shardAddress = shardAddress;
  }

  /** Sends alive every {@code intervalMs} until {@link #stop()}. */
  void start(long intervalMs) {
    aliveTimer = vertx.setPeriodic(intervalMs, id -> send(false));
  }

  void stop() {
    if (aliveTimer >= 0) {
      vertx.cancelTimer(aliveTimer);
      aliveTimer = -1;
    }
  }

  /**
   * Every frame is journaled and {@code lastJournaled} was the last one an accepted append of this
   * attempt carried (null: none). Answers whether a done was sent.
   */
  boolean drained(ReplyFrame lastJournaled) {
    if (endsReply(lastJournaled)) {
      return false;
    }
    send(true);
    return true;
  }

  private void send(boolean done) {
    BusSends.send(vertx.eventBus(), shardAddress,
        new JobProgress(job.key(), job.job(), job.attempt(), done));
  }

  /** True for {@code typing {on: false}}, the last frame of every reply. */
  private static boolean endsReply(ReplyFrame frame) {
    return frame != null && frame.kind() == FrameKind.TYPING
        && !frame.data().getBoolean("on", true);
  }
}
