package dev.chatrelay.worker.engine;

/** Receives one reply from an {@link AssistantEngine}: deltas, then exactly one of complete or fail. */
public interface EngineSink {

  /** The next piece of the reply, in order; never empty. */
  void delta(String text);

  /** The reply is complete: its text is the concatenation of the deltas. */
  void complete();

  /** The reply failed; no more calls follow. */
  void fail(EngineError error);
}
