package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.Completion;
import dev.chatrelay.worker.engine.EngineError;
import dev.chatrelay.worker.engine.EngineMetrics;
import dev.chatrelay.worker.engine.EngineRequest;
import dev.chatrelay.worker.engine.EngineRun;
import dev.chatrelay.worker.engine.EngineSink;
import io.vertx.core.Vertx;
import java.util.List;
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
  private final Clock clock;
  private final EngineMetrics metrics;
  /** Text of the current generation's chunks: what the reply shows now. */
  private final StringBuilder replySoFar = new StringBuilder();
  private EngineRun engineRun;
  private long aliveTimer = -1;
  /** Index of the next frame of the reply. */
  private int nextIndex;
  /** Chunks of the current generation: the next one's {@code data.index}. */
  private int chunks;
  /** {@code data.attempt} of the next restart frame (the first wording is generation 1). */
  private int nextGeneration = 2;
  /** The current generation's chunks void: a restart goes before the next output. */
  private boolean startOverDue;
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
  }

  JobDispatch job() {
    return job;
  }

  void start() {
    LOG.debug("event=job_start job={} attempt={} fromIndex={} cancelled={}", job.job(),
        job.attempt(), job.fromIndex(), job.cancelled());
    aliveTimer = vertx.setPeriodic(config.aliveIntervalMs(), id -> sendProgress(false));
    cancelRequested = job.cancelled();
    if (engine.repeatable() && !engine.wantsConversation()) {
      begin(EngineRequest.of(text()), null);
      return;
    }
    HistoryReader.read(vertx, shardAddress, job.key(), config, clock).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        // nothing was appended: the relay's lease dispatches the job again
        LOG.warn("event=job_history_failed job={} attempt={} cause={}", job.job(), job.attempt(),
            ar.cause().toString());
        close();
        return;
      }
      List<Frame> history = ar.result();
      EngineRequest request = engine.wantsConversation()
          ? new EngineRequest(text(), ConversationWindow.of(job.job(), text(), history,
              config.model().contextMessages(), config.model().contextChars()))
          : EngineRequest.of(text());
      begin(request, engine.repeatable() ? null : JournaledReply.of(job.job(), history));
    });
  }

  /**
   * Starts the engine. A repeatable engine ({@code journaled == null}) replays the reply from
   * frame 0 (the appender drops what is journaled); any other continues after what is journaled.
   */
  private void begin(EngineRequest request, JournaledReply journaled) {
    if (journaled == null || (journaled.count() == 0 && job.fromIndex() == 0)) {
      emit(ReplyFrame.typing(nextIndex++, true));
    } else if (!continueAfter(journaled)) {
      return;
    }
    begun = true;
    if (applyCancelIfDue()) {
      return;
    }
    try {
      engineRun = engine.start(request, new Sink());
    } catch (RuntimeException e) {
      LOG.error("event=engine_start_failed job={} attempt={}", job.job(), job.attempt(), e);
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
    nextIndex = Math.max(journaled.count(), job.fromIndex());
    nextGeneration = journaled.restarts() + 2;
    if (journaled.endingWritten()) {
      LOG.info("event=job_found_ended job={} attempt={} frames={}", job.job(), job.attempt(),
          journaled.count());
      replyEnded = true;
      if (!journaled.ended()) {
        emit(ReplyFrame.typing(nextIndex++, false));
      }
      appender.finish();
      return false;
    }
    chunks = journaled.chunksSinceRestart();
    replySoFar.append(journaled.textSinceRestart());
    // frames the read did not see may be chunks: start over unless only typing-on can be there
    startOverDue = chunks > 0 || (job.fromIndex() > journaled.count() && job.fromIndex() > 1);
    LOG.info("event=job_continues job={} attempt={} fromIndex={} journaled={} restartDue={}",
        job.job(), job.attempt(), job.fromIndex(), journaled.count(), startOverDue);
    return true;
  }

  private String text() {
    return Objects.requireNonNullElse(job.text(), "");
  }

  /**
   * Asks for the cancelled ending. It is applied once the reply has reached {@code fromIndex}:
   * until then a retried attempt replays frames already journaled, and an ending placed among
   * them would be dropped as a duplicate.
   */
  void cancel() {
    if (closed || replyEnded) {
      LOG.debug("event=job_cancel_ignored job={} attempt={} reason=ending", job.job(), job.attempt());
      return;
    }
    cancelRequested = true;
    applyCancelIfDue();
  }

  /** The worker is stopping: end silently, the relay's lease re-dispatches the job. */
  void abandon() {
    if (!closed) {
      LOG.info("event=job_abandoned job={} attempt={} nextIndex={}", job.job(), job.attempt(),
          nextIndex);
      close();
    }
  }

  private boolean applyCancelIfDue() {
    if (!cancelRequested || !begun || replyEnded || closed || nextIndex < job.fromIndex()) {
      return false;
    }
    LOG.info("event=job_cancelled job={} attempt={} chunks={}", job.job(), job.attempt(), chunks);
    metrics.replyEnded("cancelled");
    stopEngine();
    endReply(ReplyFrame.cancelledMessage(nextIndex++, replySoFar.toString()));
    return true;
  }

  private void endWithError(EngineError error) {
    LOG.info("event=job_engine_error job={} attempt={} code={}", job.job(), job.attempt(),
        error.code());
    metrics.replyEnded(error.code());
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

  /**
   * Emits the {@code restart} that voids the current generation's chunks when one is due: just
   * before the new generation's first output, so a cancel in between still ends with the text
   * its chunks show.
   */
  private void startOverIfDue() {
    if (!startOverDue) {
      return;
    }
    startOverDue = false;
    LOG.info("event=job_restart job={} attempt={} generation={} voidChunks={}", job.job(),
        job.attempt(), nextGeneration, chunks);
    metrics.restarted();
    emit(ReplyFrame.restart(nextIndex++, nextGeneration++));
    chunks = 0;
    replySoFar.setLength(0);
  }

  /** The engine's output, ignored once the reply has ended. */
  private final class Sink implements EngineSink {
    @Override
    public void delta(String text) {
      if (closed || replyEnded || text.isEmpty()) {
        return;
      }
      startOverIfDue();
      emit(ReplyFrame.chunk(nextIndex++, chunks++, text));
      replySoFar.append(text);
      applyCancelIfDue();
    }

    @Override
    public void restart() {
      if (!closed && !replyEnded && chunks > 0) {
        startOverDue = true;
      }
    }

    @Override
    public void complete(Completion completion) {
      if (!closed && !replyEnded) {
        startOverIfDue();
        metrics.replyEnded("completed");
        endReply(ReplyFrame.message(nextIndex++, replySoFar.toString(), completion));
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
      LOG.debug("event=job_done job={} attempt={} frames={}", job.job(), job.attempt(), nextIndex);
      close();
    }

    @Override
    public void fenced() {
      LOG.info("event=job_fenced job={} attempt={}", job.job(), job.attempt());
      close();
    }

    @Override
    public void failed(Throwable cause) {
      LOG.warn("event=job_append_failed job={} attempt={} cause={}", job.job(), job.attempt(),
          cause.toString());
      close();
    }
  }
}
