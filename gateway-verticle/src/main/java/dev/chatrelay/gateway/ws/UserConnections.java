package dev.chatrelay.gateway.ws;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticated connections per user in this gateway process, across all verticle instances
 * (PROTOCOL.md Limits: a further {@code hello} closes 4029). Thread-safe; a user with no
 * connection has no entry, so memory follows the open connections.
 */
public final class UserConnections {

  private final int max;
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  public UserConnections(int max) {
    this.max = max;
  }

  /** Counts one more connection of {@code sub}; false (nothing counted) when it has {@code max}. */
  public boolean tryAcquire(String sub) {
    boolean[] acquired = {false};
    counts.compute(sub, (k, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      acquired[0] = true;
      return current + 1;
    });
    return acquired[0];
  }

  /** One connection of {@code sub} that {@link #tryAcquire} counted has closed. */
  public void release(String sub) {
    counts.computeIfPresent(sub, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections of {@code sub} counted now. */
  public int count(String sub) {
    return counts.getOrDefault(sub, 0);
  }
}
