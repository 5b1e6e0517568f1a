package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineError;
import dev.chatrelay.worker.engine.EngineRun;
import dev.chatrelay.worker.engine.EngineSink;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one reply job on this worker: turns the engine's output into the reply's frames
 * (typing on, chunks, message, typing off — or an error, or the cancelled ending), hands them to a
 * {@link FrameAppender}, keeps the lease alive, and reports done once every frame is journaled.
 * Runs on the worker verticle's context only.
 */
final class JobRun {

  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

  private final Vertx vertx;
  private final WorkerConfig config;
  private final AssistantEngine engine;
  private final JobDispatch job;
  private final String shardAddress;
  private final FrameAppender appender;
  private final Consumer<JobRun> onClosed;
  private final StringBuilder replySoFar = new StringBuilder();
  private EngineRun engineRun;
  private long aliveTimer = -1;
  /** Index of the next frame of the reply. */
  private int nextIndex;
  private int chunks;
  private boolean cancelRequested;
  /** The reply's last frames are queued: the engine's output no longer matters. */
  private boolean replyEnded;
  /** Nothing more happens: engine stopped, appender stopped, timers cancelled. */
  private boolean closed;

  JobRun(Vertx vertx, WorkerConfig config, AssistantEngine engine, JobDispatch job, Clock clock,
      Consumer<JobRun> onClosed) {
    this.vertx = vertx;
    this.config = config;
    this.engine = engine;
    this.job = job;
    this.onClosed = onClosed;
    this.shardAddress = Addresses.shard(Shards.shardOf(job.key(), config.shards()));
    this.appender = new FrameAppender(vertx, job, shardAddress, config, clock, new Outcome());
  }

  JobDispatch job() {
    return job;
  }

  void start() {
    LOG.debug("event=job.start job={} attempt={} fromIndex={} cancelled={}", job.job(),
        job.attempt(), job.fromIndex(), job.cancelled());
    aliveTimer = vertx.setPeriodic(config.aliveIntervalMs(), id -> sendProgress(false));
    emit(ReplyFrame.typing(nextIndex++, true));
    cancelRequested = job.cancelled();
    if (applyCancelIfDue()) {
      return;
    }
    try {
      engineRun = engine.start(Objects.requireNonNullElse(job.text(), ""), new Sink());
    } catch (RuntimeException e) {
      LOG.error("event=engine.start_failed job={} attempt={}", job.job(), job.attempt(), e);
      endWithError(EngineError.error("the engine could not start"));
    }
    if (closed || replyEnded) {
      stopEngine(); // the engine broke its contract and answered inside start
    }
  }

  /**
   * Asks for the cancelled ending. It is applied once the reply has reached {@code fromIndex}:
   * until then a retried attempt replays frames already journaled, and an ending placed among
   * them would be dropped as a duplicate.
   */
  void cancel() {
    if (closed || replyEnded) {
      LOG.debug("event=job.cancel_ignored job={} attempt={} reason=ending", job.job(), job.attempt());
      return;
    }
    cancelRequested = true;
    applyCancelIfDue();
  }

  /** The worker is stopping: end silently, the relay's lease re-dispatches the job. */
  void abandon() {
    if (!closed) {
      LOG.info("event=job.attempt_abandoned job={} attempt={} nextIndex={}", job.job(), job.attempt(),
          nextIndex);
      close();
    }
  }

  private boolean applyCancelIfDue() {
    if (!cancelRequested || replyEnded || closed || nextIndex < job.fromIndex()) {
      return false;
    }
    LOG.info("event=job.cancelled job={} attempt={} chunks={}", job.job(), job.attempt(), chunks);
    stopEngine();
    endReply(ReplyFrame.cancelledMessage(nextIndex++, replySoFar.toString()));
    return true;
  }

  private void endWithError(EngineError error) {
    LOG.info("event=job.engine_error job={} attempt={} code={}", job.job(), job.attempt(),
        error.code());
    endReply(ReplyFrame.error(nextIndex++, error));
  }

  /** Queues {@code last}, then typing off, and waits for the appender to journal them. */
  private void endReply(ReplyFrame last) {
    replyEnded = true;
    emit(last);
    emit(ReplyFrame.typing(nextIndex++, false));
    appender.finish();
  }

  private void emit(ReplyFrame frame) {
    appender.append(frame);
  }

  private void sendProgress(boolean done) {
    BusSends.send(vertx.eventBus(), shardAddress, new JobProgress(job.key(), job.job(), job.attempt(), done));
  }

  private void stopEngine() {
    if (engineRun != null) {
      engineRun.cancel();
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (aliveTimer >= 0) {
      vertx.cancelTimer(aliveTimer);
    }
    stopEngine();
    appender.stop();
    onClosed.accept(this);
  }

  /** The engine's output, ignored once the reply has ended. */
  private final class Sink implements EngineSink {
    @Override
    public void delta(String text) {
      if (closed || replyEnded || text.isEmpty()) {
        return;
      }
      emit(ReplyFrame.chunk(nextIndex++, chunks++, text));
      replySoFar.append(text);
      applyCancelIfDue();
    }

    @Override
    public void complete() {
      if (!closed && !replyEnded) {
        endReply(ReplyFrame.message(nextIndex++, replySoFar.toString()));
      }
    }

    @Override
    public void fail(EngineError error) {
      if (!closed && !replyEnded) {
        endWithError(error);
      }
    }
  }

  /** What the appender reports about the journal. */
  private final class Outcome implements FrameAppender.Listener {
    @Override
    public void drained() {
      sendProgress(true);
      LOG.debug("event=job.done job={} attempt={} frames={}", job.job(), job.attempt(), nextIndex);
      close();
    }

    @Override
    public void fenced() {
      LOG.info("event=job.fenced job={} attempt={}", job.job(), job.attempt());
      close();
    }

    @Override
    public void failed(Throwable cause) {
      LOG.warn("event=job.append_failed job={} attempt={} cause={}", job.job(), job.attempt(),
          cause.toString());
      close();
    }
  }
}
