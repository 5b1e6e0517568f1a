package dev.chatrelay.loadgen.scenario;

import java.util.concurrent.atomic.AtomicLong;

/** The run-wide bound on sends, and the switch that stops all senders at the end of the duration. */
final class SendBudget {

  private final AtomicLong remaining;
  private volatile boolean stopped;

  SendBudget(long maxSends) {
    this.remaining = new AtomicLong(maxSends);
  }

  /** True when one more send may go out. */
  boolean take() {
    return !stopped && remaining.getAndDecrement() > 0;
  }

  void stop() {
    stopped = true;
  }
}
