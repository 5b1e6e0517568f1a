package dev.chatrelay.gateway.http;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.logic.TokenBucket;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP thread API's rate limit: one token bucket per user ({@code sub}), shared by every
 * gateway verticle instance of the process, so a user gets {@code ratePerSecond} per gateway
 * process whichever event loop serves the request. Thread-safe.
 *
 * <p>A full bucket is the same as no bucket, so idle users are dropped once the map holds
 * {@link #MAX_TRACKED_USERS}: memory stays bounded and nobody's limit is reset early.
 */
public final class UserRateLimits {

  /** Users tracked before full (idle) buckets are swept out. */
  public static final int MAX_TRACKED_USERS = 100_000;
  /** A sweep that found every user active is not repeated for this long. */
  static final long SWEEP_PAUSE_MS = 1_000;

  /** A request's fate: allowed, or refused with the seconds after which one more is allowed. */
  public record Decision(boolean allowed, long retryAfterSeconds) {}

  private static final Decision ALLOWED = new Decision(true, 0);

  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final double ratePerSecond;
  private final int burst;
  private final Clock clock;
  private final int maxTracked;
  private volatile long lastSweep;

  public UserRateLimits(double ratePerSecond, int burst, Clock clock) {
    this(ratePerSecond, burst, clock, MAX_TRACKED_USERS);
  }

  UserRateLimits(double ratePerSecond, int burst, Clock clock, int maxTracked) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.clock = clock;
    this.maxTracked = maxTracked;
    this.lastSweep = clock.millis() - SWEEP_PAUSE_MS;
  }

  /** Takes one request from {@code sub}'s allowance. */
  public Decision tryTake(String sub) {
    if (buckets.size() >= maxTracked) {
      sweepIdle();
    }
    TokenBucket bucket = buckets.computeIfAbsent(sub, s -> new TokenBucket(ratePerSecond, burst, clock));
    synchronized (bucket) {
      if (bucket.tryTake()) {
        return ALLOWED;
      }
      double missing = 1 - bucket.available();
      return new Decision(false, Math.max(1, (long) Math.ceil(missing / ratePerSecond)));
    }
  }

  /** Users with a bucket now. */
  int tracked() {
    return buckets.size();
  }

  private void sweepIdle() {
    long now = clock.millis();
    if (now - lastSweep < SWEEP_PAUSE_MS) {
      return;
    }
    lastSweep = now;
    // A request racing the sweep may take from a bucket just removed: one token, never more.
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return e.getValue().available() >= burst;
      }
    });
  }
}
