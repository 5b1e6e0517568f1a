package dev.chatrelay.loadgen;

import java.util.Locale;

/** What a run does (see LoadOptions and the scenario classes). */
public enum Scenario {
  /** N users, each its own thread, sending on an interval, a rate or in a closed loop. */
  CHAT,
  /** N users with M connections each on the same thread; one sender per user. */
  FANOUT,
  /** N connections cut at once, then all resumed from their cursors. */
  STORM,
  /** N idle subscribed connections; server heap per connection. */
  IDLE;

  public static Scenario parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--scenario: expected chat, fanout, storm or idle, got " + s);
    }
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
