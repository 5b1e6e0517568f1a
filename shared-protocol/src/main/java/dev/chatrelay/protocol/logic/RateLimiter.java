package dev.chatrelay.protocol.logic;

import dev.chatrelay.protocol.Clock;

/**
 * The command rate limit of one connection: a {@link TokenBucket} decides each command, and
 * rejections that persist close the connection (4029).
 *
 * <p><b>Persisting</b>, precisely: a <em>rejection streak</em> starts with a rejected command and
 * goes on while every further rejection comes at most {@code quietMs} after the previous
 * rejection; commands allowed in between do not end it (a client sending above the rate gets a
 * mix of both). A rejection that comes when its streak has lasted {@code closeAfterMs} or more,
 * measured from the streak's first rejection, answers {@link Verdict#CLOSE}. A rejection more
 * than {@code quietMs} after the previous one starts a new streak. So a client that stays above
 * the rate for {@code closeAfterMs} is closed by its next rejected command, and one that slows
 * down for {@code quietMs} starts afresh. Not thread-safe.
 */
public final class RateLimiter {

  /** The decision on one command. */
  public enum Verdict {
    /** Within the rate: process it. */
    ALLOW,
    /** Over the rate: drop it and answer {@code error rate_limited}. */
    REJECT,
    /** Over the rate for too long: close the connection with 4029. */
    CLOSE
  }

  private final TokenBucket bucket;
  private final long closeAfterMs;
  private final long quietMs;
  private final Clock clock;
  private boolean inStreak;
  private long streakStart;
  private long lastRejection;

  public RateLimiter(double ratePerSecond, int burst, long closeAfterMs, long quietMs, Clock clock) {
    this.bucket = new TokenBucket(ratePerSecond, burst, clock);
    this.closeAfterMs = closeAfterMs;
    this.quietMs = quietMs;
    this.clock = clock;
  }

  /** Decides one command that counts toward the rate. */
  public Verdict onCommand() {
    if (bucket.tryTake()) {
      return Verdict.ALLOW;
    }
    long now = clock.millis();
    if (!inStreak || now - lastRejection > quietMs) {
      inStreak = true;
      streakStart = now;
    }
    lastRejection = now;
    return now - streakStart >= closeAfterMs ? Verdict.CLOSE : Verdict.REJECT;
  }
}
