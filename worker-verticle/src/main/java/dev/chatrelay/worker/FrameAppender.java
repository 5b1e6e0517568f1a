package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.JobDispatch;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals the frames of one job attempt in index order: one append in flight at a time, the
 * rest queued. Frames below the dispatch's {@code fromIndex} were journaled by an earlier attempt
 * and are dropped. Retryable failures are retried until the bus timeout; a fenced append or any
 * other failure stops the appender and is reported once.
 */
final class FrameAppender {

  private static final Logger LOG = LoggerFactory.getLogger(FrameAppender.class);

  /** What became of the frames. Exactly one method is called, at most once. */
  interface Listener {
    /** Every frame up to {@link #finish()} is journaled. */
    void drained();

    /** The relay refused the attempt: another attempt owns the job now. */
    void fenced();

    /** An append failed for good; the relay's lease will re-dispatch the job. */
    void failed(Throwable cause);
  }

  private final Vertx vertx;
  private final JobDispatch job;
  private final String shardAddress;
  private final long busTimeoutMs;
  private final long retryMs;
  private final long attemptMs;
  private final Clock clock;
  private final Listener listener;
  private final ArrayDeque<ReplyFrame> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean finishing;
  private boolean stopped;
  private long deadline;
  private long retryTimer = -1;

  FrameAppender(Vertx vertx, JobDispatch job, String shardAddress, WorkerConfig config,
      Clock clock, Listener listener) {
    this.vertx = vertx;
    this.job = job;
    this.shardAddress = shardAddress;
    this.busTimeoutMs = config.busTimeoutMs();
    this.retryMs = config.busRetryMs();
    this.attemptMs = config.busAttemptMs();
    this.clock = clock;
    this.listener = listener;
  }

  /** Queues {@code frame}; frames must come in index order. */
  void append(ReplyFrame frame) {
    if (stopped || frame.index() < job.fromIndex()) {
      return;
    }
    queue.add(frame);
    pump();
  }

  /** No more frames will come: report {@link Listener#drained()} once the queue is journaled. */
  void finish() {
    finishing = true;
    pump();
  }

  /** Drops what is queued and ignores replies still on their way; reports nothing. */
  void stop() {
    stopped = true;
    queue.clear();
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private void pump() {
    if (stopped || inFlight) {
      return;
    }
    ReplyFrame next = queue.peek();
    if (next == null) {
      if (finishing) {
        stopped = true;
        listener.drained();
      }
      return;
    }
    deadline = clock.millis() + busTimeoutMs;
    send(next);
  }

  private void send(ReplyFrame frame) {
    inFlight = true;
    AppendCommand command = new AppendCommand(job.key(), job.job(), job.attempt(), frame.index(),
        frame.kind(), frame.data());
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(Math.max(1, Math.min(deadline - clock.millis(), attemptMs)));
    vertx.eventBus().request(shardAddress, command.toJson(), options)
        .onComplete(reply -> onReply(frame, reply));
  }

  private void onReply(ReplyFrame frame, AsyncResult<Message<Object>> reply) {
    if (stopped) {
      return;
    }
    if (reply.succeeded()) {
      queue.poll();
      inFlight = false;
      pump();
      return;
    }
    Throwable cause = reply.cause();
    if (isFenced(cause)) {
      stopped = true;
      listener.fenced();
    } else if (BusFailure.retryable(cause) && clock.millis() + retryMs < deadline) {
      LOG.debug("event=append_retry job={} attempt={} index={} cause={}", job.job(),
          job.attempt(), frame.index(), cause.getMessage());
      retryTimer = vertx.setTimer(retryMs, id -> {
        retryTimer = -1;
        send(frame);
      });
    } else {
      stopped = true;
      listener.failed(cause);
    }
  }

  private static boolean isFenced(Throwable cause) {
    return cause instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == BusFailure.FENCED;
  }
}
