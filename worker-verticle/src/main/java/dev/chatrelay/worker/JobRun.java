package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.reply.ReplyBuilder;
import dev.chatrelay.protocol.reply.ReplyFrame;
import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.Completion;
import dev.chatrelay.worker.engine.EngineError;
import dev.chatrelay.worker.engine.EngineMetrics;
import dev.chatrelay.worker.engine.EngineRun;
import dev.chatrelay.worker.engine.EngineSink;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one reply job on this worker: turns the engine's output into the reply's frames
 * (typing on, chunks, message, typing off — or an error, or the cancelled ending; a restart
 * between wordings, see {@link ReplyBuilder}), hands them to a {@link FrameAppender}, and reports
 * its progress ({@link AttemptProgress}: alive, and done when needed). An engine that is not
 * repeatable (a model) first reads the thread's journal for its conversation and for what is
 * journaled of this reply. Runs on the worker verticle's context only.
 */
final class JobRun {

  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

  private final Vertx vertx;
  private final WorkerConfig config;
  private final AssistantEngine engine;
  private final JobDispatch job;
  private final String shardAddress;
  private final FrameAppender appender;
  private final AttemptProgress progress;
  private final Consumer<JobRun> onClosed;
  private final Clock clock;
  private final EngineMetrics metrics;
  private final ReplyBuilder frames = new ReplyBuilder();
  private EngineRun engineRun;
  /** The reply's first frames are queued: a cancel may end it now. */
  private boolean begun;
  private boolean cancelRequested;
  /** The reply's last frames are queued: the engine's output no longer matters. */
  private boolean replyEnded;
  /** Nothing more happens: engine stopped, appender stopped, timers cancelled. */
  private boolean closed;

  JobRun(Vertx vertx, WorkerConfig config, AssistantEngine engine, EngineMetrics metrics,
      JobDispatch job, Clock clock, Consumer<JobRun> onClosed) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.config = config;
    this.engine = engine;
    this.job = job;
    this.onClosed = onClosed;
    this.clock = clock;
    this.shardAddress = Addresses.shard(Shards.shardOf(job.key(), config.shards()));
    this.appender = new FrameAppender(vertx, job, shardAddress, config, clock, new Outcome());
    this.progress = new AttemptProgress(vertx, job, shardAddress);
  }

  JobDispatch job() {
    return job;
  }

  void start() {
    LOG.debug("event=job.start job={} attempt={} fromIndex={} cancelled={}", job.job(),
        job.attempt(), job.fromIndex(), job.cancelled());
    progress.start(config.aliveIntervalMs());
    cancelRequested = job.cancelled();
    if (!JobInput.needsJournal(engine)) {
      begin(JobInput.of(job));
      return;
    }
    HistoryReader.read(vertx, shardAddress, job.key(), config, clock).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        // nothing was appended: the relay's lease dispatches the job again
        LOG.warn("event=job.history_failed job={} attempt={} cause={}", job.job(), job.attempt(),
            ar.cause().toString());
        close();
        return;
      }
      begin(JobInput.of(engine, job, config, ar.result()));
    });
  }

  /**
   * Starts the engine. A repeatable engine ({@code journaled == null}) replays the reply from
   * frame 0 (the appender drops what is journaled); any other continues after what is journaled.
   */
  private void begin(JobInput input) {
    // The first frames leave once the engine has started (next turn), with what it answers by then.
    appender.holding(() -> beginHeld(input));
  }

  private void beginHeld(JobInput input) {
    JournaledReply journaled = input.journaled();
    if (journaled == null || (journaled.count() == 0 && job.fromIndex() == 0)) {
      emit(frames.typingOn());
    } else if (!continueAfter(journaled)) {
      return;
    }
    begun = true;
    if (applyCancelIfDue()) {
      return;
    }
    try {
      engineRun = engine.start(input.request(), new Sink());
    } catch (RuntimeException e) {
      LOG.error("event=engine.start_failed job={} attempt={}", job.job(), job.attempt(), e);
      endWithError(EngineError.error("the engine could not start"));
    }
    if (closed || replyEnded) {
      stopEngine(); // the engine broke its contract and answered inside start
    }
  }

  /**
   * Replays the journaled frames verbatim (journal no-ops that move the relay's expected index
   * after a failover) and sets up the next generation: a {@code restart} goes before the first
   * new output when chunks of an earlier generation are journaled. Returns false when the
   * reply's ending was journaled already (then only what is missing of it is written).
   */
  private boolean continueAfter(JournaledReply journaled) {
    journaled.frames().forEach(this::emit);
    frames.continueAfter(journaled.count(), job.fromIndex(), journaled.restarts(),
        journaled.chunksSinceRestart(), journaled.textSinceRestart());
    if (journaled.endingWritten()) {
      LOG.info("event=job.found_ended job={} attempt={} frames={}", job.job(), job.attempt(),
          journaled.count());
      replyEnded = true;
      if (!journaled.ended()) {
        emit(frames.typingOff());
      }
      appender.finish();
      return false;
    }
    LOG.info("event=job.continues job={} attempt={} fromIndex={} journaled={} restartDue={}",
        job.job(), job.attempt(), job.fromIndex(), journaled.count(), frames.restartDue());
    return true;
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
          frames.nextIndex());
      close();
    }
  }

  private boolean applyCancelIfDue() {
    if (!cancelRequested || !begun || replyEnded || closed
        || frames.nextIndex() < job.fromIndex()) {
      return false;
    }
    LOG.info("event=job.cancelled job={} attempt={} chunks={}", job.job(), job.attempt(),
        frames.chunks());
    metrics.replyEnded("cancelled");
    stopEngine();
    endReply(List.of(frames.cancelled()));
    return true;
  }

  private void endWithError(EngineError error) {
    LOG.info("event=job.engine_error job={} attempt={} code={}", job.job(), job.attempt(),
        error.code());
    metrics.replyEnded(error.code());
    endReply(List.of(frames.error(error.code(), error.message())));
  }

  /** Queues {@code last}, then typing off, and waits for the appender to journal them. */
  private void endReply(List<ReplyFrame> last) {
    replyEnded = true;
    emitAll(last);
    emit(frames.typingOff());
    appender.finish();
  }

  private void emit(ReplyFrame frame) {
    appender.append(frame);
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
    progress.stop();
    stopEngine();
    appender.stop();
    onClosed.accept(this);
  }

  /** Queues frames in order; a restart among them is logged and counted. */
  private void emitAll(List<ReplyFrame> next) {
    for (ReplyFrame frame : next) {
      if (frame.kind() == FrameKind.RESTART) {
        LOG.info("event=job.restart job={} attempt={} index={} generation={}", job.job(),
            job.attempt(), frame.index(), frame.data().getInteger("attempt"));
        metrics.restarted();
      }
      emit(frame);
    }
  }

  /** The engine's output, ignored once the reply has ended. */
  private final class Sink implements EngineSink {
    @Override
    public void delta(String text) {
      if (closed || replyEnded || text.isEmpty()) {
        return;
      }
      emitAll(frames.chunk(text));
      applyCancelIfDue();
    }

    @Override
    public void restart() {
      if (!closed && !replyEnded) {
        frames.startOver();
      }
    }

    @Override
    public void complete(Completion completion) {
      if (!closed && !replyEnded) {
        metrics.replyEnded("completed");
        endReply(frames.message(completion.finishReason(), completion.usage()));
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
      boolean doneSent = progress.drained(appender.lastJournaled());
      LOG.debug("event=job.done job={} attempt={} frames={} doneSent={}", job.job(), job.attempt(),
          frames.nextIndex(), doneSent);
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
