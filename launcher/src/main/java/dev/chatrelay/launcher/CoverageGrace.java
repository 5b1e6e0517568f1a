package dev.chatrelay.launcher;

/**
 * Hysteresis for shard coverage: a gateway turns not ready only when some shard has had no relay
 * for {@code RELAY_READY_SHARD_GRACE_MS}. A relay handover leaves a few shards uncovered for
 * seconds on every gateway at once; requests meanwhile wait and retry (RELAY_BUS_TIMEOUT_MS), so
 * taking the whole tier out of its Service for that gap would only turn a pause into 503s.
 * Before the first full coverage the gateway is not ready at all.
 */
final class CoverageGrace {

  private final long graceMs;
  private boolean everCovered;
  private boolean inGap;
  private long uncoveredSinceMs;

  CoverageGrace(long graceMs) {
    this.graceMs = graceMs;
  }

  /** Records one check at {@code nowMs} (monotonic); returns whether the gateway counts as covered. */
  synchronized boolean record(boolean coveredNow, long nowMs) {
    if (coveredNow) {
      everCovered = true;
      inGap = false;
      return true;
    }
    if (!inGap) {
      inGap = true;
      uncoveredSinceMs = nowMs; // any origin: a monotonic clock's millis may be negative
    }
    return everCovered && nowMs - uncoveredSinceMs < graceMs;
  }
}
