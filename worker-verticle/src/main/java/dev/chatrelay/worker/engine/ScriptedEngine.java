package dev.chatrelay.worker.engine;

import io.vertx.core.Vertx;
import java.util.List;

/**
 * The deterministic engine: answers {@code T} with {@code echo: T} in a fixed number of chunks,
 * each after a timer; a text starting with {@code /fail} fails with {@code engine_error}.
 * The same text always yields the same chunks, so a retried job reproduces what was journaled.
 */
public final class ScriptedEngine implements AssistantEngine {

  private final Vertx vertx;
  private final int chunks;
  private final long delayMs;

  /**
   * @param chunks chunks per reply (fewer for short replies)
   * @param delayMs pause before each chunk; 0 = the whole reply in the next turn of the event
   *     loop, as a model answering from a cache would (so the worker journals it as one batch)
   */
  public ScriptedEngine(Vertx vertx, int chunks, long delayMs) {
    if (chunks < 1 || delayMs < 0) {
      throw new IllegalArgumentException("chunks >= 1 and delayMs >= 0 required");
    }
    this.vertx = vertx;
    this.chunks = chunks;
    this.delayMs = delayMs;
  }

  /** The same text always yields the same chunks: a retry replays and skips what is journaled. */
  @Override
  public boolean repeatable() {
    return true;
  }

  @Override
  public EngineRun start(EngineRequest request, EngineSink sink) {
    Run run = new Run(sink, request.text());
    run.schedule();
    return run;
  }

  /** One scripted reply: a chain of timers, one per chunk (one step for all at delay 0). */
  private final class Run implements EngineRun {
    private final EngineSink sink;
    private final boolean fails;
    private final List<String> pieces;
    private int next;
    private long timerId = -1;
    private boolean cancelled;

    Run(EngineSink sink, String text) {
      this.sink = sink;
      this.fails = ScriptedReply.failsOn(text);
      this.pieces = fails ? List.of() : ScriptedReply.chunks(ScriptedReply.replyTo(text), chunks);
    }

    void schedule() {
      if (delayMs == 0) {
        vertx.runOnContext(v -> step());
      } else {
        timerId = vertx.setTimer(delayMs, id -> step());
      }
    }

    private void step() {
      timerId = -1;
      if (cancelled) {
        return;
      }
      if (fails) {
        sink.fail(EngineError.error("the scripted engine fails on " + ScriptedReply.FAIL_COMMAND));
        return;
      }
      do {
        sink.delta(pieces.get(next++));
        if (cancelled) {
          return;
        }
      } while (delayMs == 0 && next < pieces.size());
      if (next < pieces.size()) {
        schedule();
      } else {
        sink.complete();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
    }
  }
}
