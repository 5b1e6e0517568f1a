package dev.chatrelay.worker.engine;

import io.vertx.core.Future;

/**
 * Produces an assistant reply as a stream of text deltas. Each reply answers one user text on
 * its own (no history). Implementations call the {@link EngineSink} asynchronously — never from
 * inside {@link #start} — on the context that called {@code start}, and stop calling it once the
 * returned {@link EngineRun} is cancelled.
 */
public interface AssistantEngine {

  /** Starts a reply to {@code text}; its output goes to {@code sink}. */
  EngineRun start(String text, EngineSink sink);

  /** Releases what the engine holds (connections); runs in progress must be cancelled first. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
