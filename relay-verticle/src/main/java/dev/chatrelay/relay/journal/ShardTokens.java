package dev.chatrelay.relay.journal;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fencing tokens one journal instance holds, per shard; 0 for a shard it never claimed.
 * Each claim also gets a random nonce: unlike the token, which restarts at 1 when the store
 * was lost, it never repeats, so epochs derived from it ({@link ProvisionalEpochs}) do not.
 */
final class ShardTokens {

  /** Token of a shard this instance has not claimed. */
  static final long UNCLAIMED = 0L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Claim(long token, long nonce) {}

  private final Map<Integer, Claim> held = new ConcurrentHashMap<>();

  long of(int shard) {
    Claim claim = held.get(shard);
    return claim == null ? UNCLAIMED : claim.token();
  }

  /** The random nonce of this instance's current claim of {@code shard}, 0 when unclaimed. */
  long nonceOf(int shard) {
    Claim claim = held.get(shard);
    return claim == null ? 0 : claim.nonce();
  }

  void hold(int shard, long token) {
    held.put(shard, new Claim(token, RANDOM.nextLong()));
  }

  void forget(int shard) {
    held.remove(shard);
  }
}
