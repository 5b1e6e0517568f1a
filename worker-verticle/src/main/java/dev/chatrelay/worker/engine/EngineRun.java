package dev.chatrelay.worker.engine;

/** A reply in progress. */
@FunctionalInterface
public interface EngineRun {

  /** Stops the reply and frees what it holds; the sink gets no further calls. Idempotent. */
  void cancel();
}
