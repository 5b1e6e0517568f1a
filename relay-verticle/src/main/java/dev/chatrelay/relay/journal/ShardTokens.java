package dev.chatrelay.relay.journal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The fencing tokens one journal instance holds, per shard; 0 for a shard it never claimed. */
final class ShardTokens {

  /** Token of a shard this instance has not claimed. */
  static final long UNCLAIMED = 0L;

  private final Map<Integer, Long> held = new ConcurrentHashMap<>();

  long of(int shard) {
    return held.getOrDefault(shard, UNCLAIMED);
  }

  void hold(int shard, long token) {
    held.put(shard, token);
  }

  void forget(int shard) {
    held.remove(shard);
  }
}
