package dev.chatrelay.launcher;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long each shard has had no relay consuming it, as a clustered gateway sees it (fed by
 * every {@link ShardCoverage} check). A shard unreachable past {@code RELAY_SHARD_UNREACHABLE_CLOSE_MS}
 * gets its sessions closed with 1013, at every check while it lasts (sessions that subscribe
 * later too), so their clients resume at a gateway that reaches an owner; past
 * {@code RELAY_SHARD_UNREACHABLE_UNHEALTHY_MS} the process reports itself not live, so that
 * Kubernetes restarts a gateway that stays cut off from the relays. Thread-safe.
 */
final class UnreachableShards {

  private static final Logger LOG = LoggerFactory.getLogger(UnreachableShards.class);

  private final long closeAfterMs;
  private final long unhealthyAfterMs;
  private final LongSupplier clockMs;
  private final Consumer<Set<Integer>> closeSessions;
  /** shard → when it was first seen without a relay, in the current outage. */
  private final Map<Integer, Long> since = new HashMap<>();
  private int lastDue;

  UnreachableShards(long closeAfterMs, long unhealthyAfterMs, LongSupplier clockMs,
      Consumer<Set<Integer>> closeSessions) {
    this.closeAfterMs = closeAfterMs;
    this.unhealthyAfterMs = unhealthyAfterMs;
    this.clockMs = clockMs;
    this.closeSessions = closeSessions;
  }

  /** One coverage check's result: the shards no relay consumes right now. */
  void observe(Set<Integer> withoutRelay) {
    Set<Integer> due = new TreeSet<>();
    synchronized (this) {
      long now = clockMs.getAsLong();
      since.keySet().retainAll(withoutRelay);
      for (int shard : withoutRelay) {
        long first = since.computeIfAbsent(shard, s -> now);
        if (now - first >= closeAfterMs) {
          due.add(shard);
        }
      }
      if (due.size() != lastDue) {
        LOG.warn("event=shards.unreachable shards={} closingAfterMs={}", due.size(),
            closeAfterMs);
        lastDue = due.size();
      }
    }
    if (!due.isEmpty()) {
      closeSessions.accept(Collections.unmodifiableSet(due));
    }
  }

  /** False once some shard has had no relay for {@code RELAY_SHARD_UNREACHABLE_UNHEALTHY_MS}. */
  synchronized boolean healthy() {
    long now = clockMs.getAsLong();
    for (long first : since.values()) {
      if (now - first >= unhealthyAfterMs) {
        return false;
      }
    }
    return true;
  }
}
