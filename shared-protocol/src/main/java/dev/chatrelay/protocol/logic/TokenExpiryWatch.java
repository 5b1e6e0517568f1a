package dev.chatrelay.protocol.logic;

import dev.chatrelay.protocol.Clock;

/**
 * When a connection's token needs a {@code token_expiring} and when it must close with 4401.
 * The warning is due {@code leadMs} before {@code exp} (at once if less remains) and is given
 * once per token; the close is due once {@code exp + leewayMs} has passed. {@link #track(long)}
 * starts over for a refreshed token. Not thread-safe.
 */
public final class TokenExpiryWatch {

  /** What a poll asks the connection to do. */
  public enum Action { NONE, WARN, CLOSE }

  private final long leadMs;
  private final long leewayMs;
  private final Clock clock;
  private long expSeconds;
  private boolean warned;

  public TokenExpiryWatch(long leadMs, long leewayMs, Clock clock) {
    this.leadMs = leadMs;
    this.leewayMs = leewayMs;
    this.clock = clock;
  }

  /** Watches a new token (the first one, or a refreshed one). */
  public void track(long expSeconds) {
    this.expSeconds = expSeconds;
    this.warned = false;
  }

  public long exp() {
    return expSeconds;
  }

  public long warnAtMillis() {
    return expSeconds * 1000 - leadMs;
  }

  public long closeAtMillis() {
    return expSeconds * 1000 + leewayMs;
  }

  /** The action due now; WARN is returned once per tracked token. */
  public Action poll() {
    long now = clock.millis();
    if (now > closeAtMillis()) {
      return Action.CLOSE;
    }
    if (!warned && now >= warnAtMillis()) {
      warned = true;
      return Action.WARN;
    }
    return Action.NONE;
  }
}
