package dev.chatrelay.protocol.logic;

import dev.chatrelay.protocol.Clock;

/**
 * Heartbeat rules of PROTOCOL.md for one connection: ping when {@code intervalMs} passed with
 * nothing sent, or with nothing received (then at most once per interval); close (4001) when
 * nothing was received for twice the interval. The clocks start at construction (the
 * {@code welcome}). Not thread-safe.
 */
public final class HeartbeatWatch {

  /** What a poll asks the connection to do. */
  public enum Action { NONE, PING, CLOSE }

  private final long intervalMs;
  private final Clock clock;
  private long lastSent;
  private long lastReceived;
  private long lastPing;

  public HeartbeatWatch(long intervalMs, Clock clock) {
    this.intervalMs = intervalMs;
    this.clock = clock;
    long now = clock.millis();
    this.lastSent = now;
    this.lastReceived = now;
    this.lastPing = now;
  }

  /** Something was written to the client. */
  public void sent() {
    lastSent = clock.millis();
  }

  /** Something arrived from the client: any message is a sign of life. */
  public void received() {
    lastReceived = clock.millis();
  }

  /** The action due now; a PING counts as sent. */
  public Action poll() {
    long now = clock.millis();
    if (now - lastReceived >= 2 * intervalMs) {
      return Action.CLOSE;
    }
    boolean quietOut = now - lastSent >= intervalMs;
    boolean quietIn = now - lastReceived >= intervalMs && now - lastPing >= intervalMs;
    if (quietOut || quietIn) {
      lastPing = now;
      lastSent = now;
      return Action.PING;
    }
    return Action.NONE;
  }
}
