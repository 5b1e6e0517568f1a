package dev.chatrelay.worker.engine;

/**
 * Receives one reply from an {@link AssistantEngine}: deltas (with {@link #restart()} between
 * generations), then exactly one of complete or fail.
 */
public interface EngineSink {

  /** The next piece of the reply, in order; never empty. */
  void delta(String text);

  /**
   * The deltas so far are void: the engine generates the reply again from its start (the
   * upstream stream broke and was retried).
   */
  default void restart() {}

  /** The reply is complete: its text is the concatenation of the deltas since the last restart. */
  default void complete() {
    complete(Completion.NONE);
  }

  /** The reply is complete, with what the upstream said about it. */
  void complete(Completion completion);

  /** The reply failed; no more calls follow. */
  void fail(EngineError error);
}
