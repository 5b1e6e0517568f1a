package dev.chatrelay.protocol.logic;

import dev.chatrelay.protocol.Clock;

/**
 * A token bucket: refills {@code ratePerSecond} tokens per second up to {@code burst}, starts
 * full, each take costs one token. Not thread-safe: one per connection, used on its event loop.
 */
public final class TokenBucket {

  private final double ratePerMilli;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double ratePerSecond, double burst, Clock clock) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.ratePerMilli = ratePerSecond / 1000.0;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.refilledAt = clock.millis();
  }

  /** Takes one token if there is one. */
  public boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Tokens available now. */
  public double available() {
    refill();
    return tokens;
  }

  private void refill() {
    long now = clock.millis();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerMilli);
      refilledAt = now;
    }
    // A clock that stepped back refills nothing and keeps the old mark.
  }
}
