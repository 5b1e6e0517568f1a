package dev.chatrelay.relay;

import java.util.HashMap;
import java.util.Map;

/**
 * When each shard last had a write fenced. A membership view that still names this relay as a
 * fenced shard's owner (a relay thawing processes its stale views first) must not claim it back
 * at once: that would fence the relay that took it over. Event-loop confined.
 */
final class RecentFences {

  private final Map<Integer, Long> fencedAt = new HashMap<>();

  void fenced(int shard, long nowMs) {
    fencedAt.put(shard, nowMs);
  }

  /** How long an acquire of {@code shard} should still wait: 0 when not fenced within the pause. */
  long waitMs(int shard, long nowMs, long pauseMs) {
    Long at = fencedAt.get(shard);
    if (at == null || nowMs - at >= pauseMs) {
      fencedAt.remove(shard);
      return 0;
    }
    return pauseMs - (nowMs - at);
  }
}
