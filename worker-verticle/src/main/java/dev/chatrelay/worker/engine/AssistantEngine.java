package dev.chatrelay.worker.engine;

import io.vertx.core.Future;

/**
 * Produces an assistant reply as a stream of text deltas. Implementations call the {@link
 * EngineSink} asynchronously — never from inside {@link #start} — on the context that called
 * {@code start}, and stop calling it once the returned {@link EngineRun} is cancelled.
 */
public interface AssistantEngine {

  /** Starts a reply to {@code request}; its output goes to {@code sink}. */
  EngineRun start(EngineRequest request, EngineSink sink);

  /** Starts a reply to {@code text} alone, without conversation. */
  default EngineRun start(String text, EngineSink sink) {
    return start(EngineRequest.of(text), sink);
  }

  /**
   * True when the same request always yields the same deltas, so a retried job may replay the
   * reply from its start and skip what is journaled; false makes a retry start over with a
   * {@code restart} frame.
   */
  default boolean repeatable() {
    return false;
  }

  /** True when {@link EngineRequest#conversation()} should hold the thread's conversation. */
  default boolean wantsConversation() {
    return false;
  }

  /** Releases what the engine holds (connections); runs in progress must be cancelled first. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
