package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.Settings;

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

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final long DEFAULT_TTL_S = Settings.PENDING_JOB_TTL_S.longDefault();
  public static final int DEFAULT_MAX_PER_SHARD = Settings.PENDING_JOBS_MAX.intDefault();

  public static final PendingJobLimits DEFAULT =
      new PendingJobLimits(DEFAULT_TTL_S, DEFAULT_MAX_PER_SHARD);

  public PendingJobLimits {
    if (ttlSeconds < 1 || maxPerShard < 1) {
      throw new IllegalArgumentException("pending-job TTL and maximum must be at least 1");
    }
  }

  public static PendingJobLimits from(ConfigSource source) {
    return new PendingJobLimits(
        source.longValue(Settings.PENDING_JOB_TTL_S),
        source.intValue(Settings.PENDING_JOBS_MAX));
  }

  long ttlMs() {
    return ttlSeconds * 1000;
  }
}
