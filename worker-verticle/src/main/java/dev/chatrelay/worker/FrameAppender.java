package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.reply.ReplyFrame;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals the frames of one job attempt in index order: one append request in flight at a
 * time, carrying every frame queued when it was sent (at most {@link #MAX_FRAMES_PER_APPEND}),
 * so a fast engine costs one event-bus round trip per batch instead of one per frame, and a slow
 * one still sends each frame the moment it comes. Frames below the dispatch's {@code fromIndex}
 * were journaled by an earlier attempt and are dropped. A failed batch is sent again as it was
 * (the relay skips frames it already journaled, by index); retryable failures and an
 * unreachable journal are retried until the bus timeout, and a journal that is slow or away
 * (no answer in time, or 504) up to the job's lease: each retry reaching the relay extends the
 * lease there, so giving up sooner would only leave the reply to wait out that lease. A fenced
 * append or any other failure stops the appender and is reported once.
 */
final class FrameAppender {

  private static final Logger LOG = LoggerFactory.getLogger(FrameAppender.class);

  /**
   * Largest batch: a whole scripted reply (chunks + 3) fits many times over, and a batch stays
   * far below the relay's ack window, so a subscriber receives it in one delivery.
   */
  static final int MAX_FRAMES_PER_APPEND = 64;

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
  private final long leaseMs;
  private final long retryMs;
  private final long attemptMs;
  private final Clock clock;
  private final Listener listener;
  private final ArrayDeque<ReplyFrame> queue = new ArrayDeque<>();
  /** The last frame of the last append the relay accepted; null while none was. */
  private ReplyFrame lastJournaled;
  /** Frames at the head of the queue that the request in flight carries; 0 = none in flight. */
  private int inFlight;
  /** Frames queue without being sent until {@link #release()}: the caller is still making some. */
  private boolean held;
  /** A send of what is queued is due at the end of this event-loop turn. */
  private boolean sendScheduled;
  private boolean finishing;
  private boolean stopped;
  private long deadline;
  /** Retries of a batch whose relay answers slowly or 504 go on until here. */
  private long slowDeadline;
  private long retryTimer = -1;

  FrameAppender(Vertx vertx, JobDispatch job, String shardAddress, WorkerConfig config,
      Clock clock, Listener listener) {
    this.vertx = vertx;
    this.job = job;
    this.shardAddress = shardAddress;
    this.busTimeoutMs = config.busTimeoutMs();
    this.leaseMs = config.jobLeaseMs();
    this.retryMs = config.busRetryMs();
    this.attemptMs = config.busAttemptMs();
    this.clock = clock;
    this.listener = listener;
  }

  /** Runs {@code making} with the frames it appends queued, then sends them together. */
  void holding(Runnable making) {
    hold();
    try {
      making.run();
    } finally {
      release();
    }
  }

  /** Queues the frames appended from now on without sending them, until {@link #release()}. */
  void hold() {
    held = true;
  }

  /**
   * Sends what was queued while held at the end of this event-loop turn, with whatever is
   * appended before then: an engine that answers in its first turn (the scripted one at delay 0)
   * gets its whole reply journaled with the first frames, as one append.
   */
  void release() {
    held = false;
    if (!sendScheduled && inFlight == 0 && !stopped) {
      sendScheduled = true;
      vertx.runOnContext(v -> {
        sendScheduled = false;
        pump();
      });
    }
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

  /** The last frame an accepted append of this attempt carried, or null when none was accepted. */
  ReplyFrame lastJournaled() {
    return lastJournaled;
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
    if (stopped || inFlight > 0 || held || sendScheduled) {
      return;
    }
    if (queue.isEmpty()) {
      if (finishing) {
        stopped = true;
        listener.drained();
      }
      return;
    }
    long now = clock.millis();
    deadline = now + busTimeoutMs;
    slowDeadline = Math.max(deadline, now + leaseMs);
    send(batch(Math.min(queue.size(), MAX_FRAMES_PER_APPEND)));
  }

  /** The first {@code count} queued frames as one append; they stay queued until accepted. */
  private AppendCommand batch(int count) {
    List<AppendCommand.Part> parts = new ArrayList<>(count);
    Iterator<ReplyFrame> it = queue.iterator();
    int first = queue.peek().index();
    for (int i = 0; i < count; i++) {
      ReplyFrame frame = it.next();
      parts.add(new AppendCommand.Part(frame.kind(), frame.data()));
    }
    return new AppendCommand(job.key(), job.job(), job.attempt(), first, parts);
  }

  private void send(AppendCommand command) {
    inFlight = command.frames().size();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(Math.max(1, Math.min(slowDeadline - clock.millis(), attemptMs)));
    BusSends.<Object>request(vertx.eventBus(), shardAddress, command, options)
        .onComplete(reply -> onReply(command, reply));
  }

  private void onReply(AppendCommand command, AsyncResult<Message<Object>> reply) {
    if (stopped) {
      return;
    }
    if (reply.succeeded()) {
      for (int i = 0; i < inFlight; i++) {
        lastJournaled = queue.poll();
      }
      inFlight = 0;
      pump();
      return;
    }
    Throwable cause = reply.cause();
    if (isFenced(cause)) {
      stopped = true;
      listener.fenced();
    } else if ((BusFailure.retryable(cause) || BusFailure.unavailable(cause))
        && clock.millis() + retryMs < (journalSlow(cause) ? slowDeadline : deadline)) {
      LOG.debug("event=append.retry job={} attempt={} index={} frames={} cause={}", job.job(),
          job.attempt(), command.index(), command.frames().size(), cause.getMessage());
      retryTimer = vertx.setTimer(retryMs, id -> {
        retryTimer = -1;
        send(command);
      });
    } else {
      stopped = true;
      listener.failed(cause);
    }
  }

  /** No answer in time, or the relay's journal is away: the relay (if alive) still holds the job. */
  private static boolean journalSlow(Throwable cause) {
    return BusFailure.unavailable(cause)
        || (cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT);
  }

  private static boolean isFenced(Throwable cause) {
    return cause instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == BusFailure.FENCED;
  }
}
