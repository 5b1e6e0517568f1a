package dev.chatrelay.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Stalls seen by clients: each interval in which a client waited for a reply and got nothing.
 * The longest one overlapping a window answers "how long did clients wait after that kill".
 */
final class Pauses {

  private record Stall(long fromMs, long toMs) {}

  private final List<Stall> stalls = new ArrayList<>();

  /** A client that waits for frames saw nothing from {@code fromMs} to {@code toMs}. */
  synchronized void stalled(long fromMs, long toMs) {
    if (toMs > fromMs) {
      stalls.add(new Stall(fromMs, toMs));
    }
  }

  /** The longest stall that ended after {@code fromMs} and began before {@code toMs}. */
  synchronized long longestBetween(long fromMs, long toMs) {
    long longest = 0;
    for (Stall s : stalls) {
      if (s.toMs() > fromMs && s.fromMs() < toMs) {
        longest = Math.max(longest, s.toMs() - s.fromMs());
      }
    }
    return longest;
  }
}
