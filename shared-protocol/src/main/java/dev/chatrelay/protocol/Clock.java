package dev.chatrelay.protocol;

/** Time source, injected so pure logic is testable without sleeping. */
@FunctionalInterface
public interface Clock {

  /** Milliseconds since the epoch. */
  long millis();

  Clock SYSTEM = System::currentTimeMillis;
}
