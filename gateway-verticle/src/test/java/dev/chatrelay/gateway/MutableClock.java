package dev.chatrelay.gateway;

import dev.chatrelay.protocol.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset the test moves forward; thread-safe. */
public final class MutableClock implements Clock {

  private final AtomicLong offset = new AtomicLong();

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.get();
  }

  public void advance(long ms) {
    offset.addAndGet(ms);
  }
}
