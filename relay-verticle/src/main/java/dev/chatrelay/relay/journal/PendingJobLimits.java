package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.config.ConfigSource;

/**
 * How long and how many unfinished reply jobs a journal keeps for a later owner of their shard.
 * A record older than {@code ttlSeconds} since it was last saved is neither kept nor loaded (its
 * client gave up long ago); beyond {@code maxPerShard} records the oldest is dropped, so a relay
 * taking over a shard loads a bounded list. The live relay still runs a job whose record went.
 *
 * @param ttlSeconds a pending-job record lives this long after its last save ({@code RELAY_PENDING_JOB_TTL_S})
 * @param maxPerShard records kept per shard ({@code RELAY_PENDING_JOBS_MAX})
 */
public record PendingJobLimits(long ttlSeconds, int maxPerShard) {

  public static final String TTL_S = "RELAY_PENDING_JOB_TTL_S";
  public static final String MAX = "RELAY_PENDING_JOBS_MAX";
  /** One hour: far beyond a reply's retries (6 attempts with 10 s leases), far below forever. */
  public static final long DEFAULT_TTL_S = 3_600;
  /** Per shard (64 by default): with at most 16 queued replies per thread, room for many users. */
  public static final int DEFAULT_MAX_PER_SHARD = 10_000;

  public static final PendingJobLimits DEFAULT =
      new PendingJobLimits(DEFAULT_TTL_S, DEFAULT_MAX_PER_SHARD);

  public PendingJobLimits {
    if (ttlSeconds < 1 || maxPerShard < 1) {
      throw new IllegalArgumentException("pending-job TTL and maximum must be at least 1");
    }
  }

  public static PendingJobLimits from(ConfigSource source) {
    return new PendingJobLimits(
        source.longValue(TTL_S, DEFAULT_TTL_S, 1, 30L * 86_400),
        source.intValue(MAX, DEFAULT_MAX_PER_SHARD, 1, 1_000_000));
  }

  long ttlMs() {
    return ttlSeconds * 1000;
  }
}
