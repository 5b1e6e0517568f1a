package dev.chatrelay.protocol.logic;

import dev.chatrelay.protocol.Clock;

/** A clock the test moves by hand. */
final class FakeClock implements Clock {
  private long now;

  FakeClock(long start) {
    this.now = start;
  }

  @Override
  public long millis() {
    return now;
  }

  void advance(long ms) {
    now += ms;
  }
}
