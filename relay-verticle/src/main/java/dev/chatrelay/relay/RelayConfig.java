package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;

/**
 * Settings of the relay role, read from {@code RELAY_*} variables.
 *
 * @param ackWindow unacked frames in flight per subscription ({@code RELAY_ACK_WINDOW})
 * @param slowConsumerMs a window full this long, or frames neither acked nor confirmed this long, closes the connection with 4008 ({@code RELAY_SLOW_CONSUMER_MS})
 * @param retentionFrames frames kept per thread ({@code RELAY_RETENTION_FRAMES})
 * @param shards number of thread shards, same on every role ({@code RELAY_SHARDS})
 * @param jobLeaseMs a running job with no append or alive for this long is re-dispatched ({@code RELAY_JOB_LEASE_MS})
 * @param jobDispatchTimeoutMs time a worker has to take a dispatched job ({@code RELAY_JOB_DISPATCH_TIMEOUT_MS})
 * @param jobRetryBackoffMs first pause before re-dispatching a failed dispatch, doubled per failure ({@code RELAY_JOB_RETRY_BACKOFF_MS})
 * @param jobMaxAttempts attempts per job before the relay ends it with {@code worker_unavailable} ({@code RELAY_JOB_MAX_ATTEMPTS})
 * @param frameCache recent frames kept per thread in memory for live delivery ({@code RELAY_FRAME_CACHE})
 * @param retentionTtlS time to live of an idle thread's journal, for journals that expire ({@code RELAY_RETENTION_TTL_S})
 * @param sweepMs how often slow consumers, job leases and idle threads are checked ({@code RELAY_SWEEP_MS})
 * @param threadIdleMs a thread with no subscription and no job is dropped from memory after this long ({@code RELAY_THREAD_IDLE_MS})
 * @param shardReacquireMs pause before acquiring again a shard let go after a fenced write or a failed acquire ({@code RELAY_SHARD_REACQUIRE_MS})
 * @param shardReleaseGraceMs a released shard's consumer answers "not owner" this long before it unregisters ({@code RELAY_SHARD_RELEASE_GRACE_MS})
 * @param deliveryResendMs frames sent to a gateway and neither acked nor confirmed received this long are sent again ({@code RELAY_DELIVERY_RESEND_MS})
 * @param deliveryResendMaxMs the pause between resends without progress doubles up to this ({@code RELAY_DELIVERY_RESEND_MAX_MS})
 */
public record RelayConfig(
    int ackWindow,
    long slowConsumerMs,
    int retentionFrames,
    int shards,
    long jobLeaseMs,
    long jobDispatchTimeoutMs,
    long jobRetryBackoffMs,
    int jobMaxAttempts,
    int frameCache,
    long retentionTtlS,
    long sweepMs,
    long threadIdleMs,
    long shardReacquireMs,
    long shardReleaseGraceMs,
    long deliveryResendMs,
    long deliveryResendMaxMs) {

  /** Unacked frames in flight per subscription (PROTOCOL.md flow control). */
  public static final int DEFAULT_ACK_WINDOW = 256;
  /** A full window for this long is a slow consumer (PROTOCOL.md). */
  public static final long DEFAULT_SLOW_CONSUMER_MS = 30_000;
  /** Frames kept per thread (PROTOCOL.md). */
  public static final int DEFAULT_RETENTION_FRAMES = 1000;
  /** Shards threads hash onto (ARCHITECTURE.md). */
  public static final int DEFAULT_SHARDS = Shards.DEFAULT_COUNT;
  /** A worker silent this long is presumed dead; its job goes to another worker. */
  public static final long DEFAULT_JOB_LEASE_MS = 10_000;
  /**
   * A worker must take a job within this time, else another is tried. Workers answer before
   * their engine starts, so this only has to cover the bus; a dispatch that went to a worker
   * that just died costs this much (ClusterChaosIT: 28 such dispatches in one worker kill).
   */
  public static final long DEFAULT_JOB_DISPATCH_TIMEOUT_MS = 2_000;
  /** First retry pause after a failed dispatch; doubles per failure up to the lease. */
  public static final long DEFAULT_JOB_RETRY_BACKOFF_MS = 500;
  /** Dispatch attempts before the relay answers {@code worker_unavailable} itself. */
  public static final int DEFAULT_JOB_MAX_ATTEMPTS = 6;
  /** Recent frames per thread served from memory instead of the journal. */
  public static final int DEFAULT_FRAME_CACHE = 64;
  /** One day: an idle thread's journal expires after this (Redis journal). */
  public static final long DEFAULT_RETENTION_TTL_S = 86_400;
  /** Period of the one timer that checks slow consumers, leases and idle threads. */
  public static final long DEFAULT_SWEEP_MS = 1_000;
  /** Idle threads leave memory after this; the journal still has them. */
  public static final long DEFAULT_THREAD_IDLE_MS = 300_000;
  /** Long enough for membership views to agree, so two relays do not fence each other in turn. */
  public static final long DEFAULT_SHARD_REACQUIRE_MS = 1_000;
  /**
   * Senders learn of an unregistered consumer some milliseconds late and Vert.x drops what they
   * send meanwhile; answering "not owner" instead makes them retry at once.
   */
  public static final long DEFAULT_SHARD_RELEASE_GRACE_MS = 500;
  /**
   * Far above a client's ack delay (the SDK batches acks for 50 ms) plus a bus round trip, so a
   * healthy subscription never resends; short enough that a lost last frame shows within ~1 s.
   */
  public static final long DEFAULT_DELIVERY_RESEND_MS = 1_000;
  /** Resends to an unanswering gateway back off to this; under the 10 s heal-to-complete goal. */
  public static final long DEFAULT_DELIVERY_RESEND_MAX_MS = 4_000;

  public RelayConfig {
    require(ackWindow >= 1, "RELAY_ACK_WINDOW must be at least 1");
    require(slowConsumerMs >= 1, "RELAY_SLOW_CONSUMER_MS must be at least 1");
    require(retentionFrames >= 1, "RELAY_RETENTION_FRAMES must be at least 1");
    require(shards >= 1, "RELAY_SHARDS must be at least 1");
    require(jobLeaseMs >= 1, "RELAY_JOB_LEASE_MS must be at least 1");
    require(jobDispatchTimeoutMs >= 1, "RELAY_JOB_DISPATCH_TIMEOUT_MS must be at least 1");
    require(jobRetryBackoffMs >= 1, "RELAY_JOB_RETRY_BACKOFF_MS must be at least 1");
    require(jobMaxAttempts >= 1, "RELAY_JOB_MAX_ATTEMPTS must be at least 1");
    require(frameCache >= 1, "RELAY_FRAME_CACHE must be at least 1");
    require(retentionTtlS >= 1, "RELAY_RETENTION_TTL_S must be at least 1");
    require(sweepMs >= 1, "RELAY_SWEEP_MS must be at least 1");
    require(threadIdleMs >= 1, "RELAY_THREAD_IDLE_MS must be at least 1");
    require(shardReacquireMs >= 1, "RELAY_SHARD_REACQUIRE_MS must be at least 1");
    require(shardReleaseGraceMs >= 0, "RELAY_SHARD_RELEASE_GRACE_MS must not be negative");
    require(deliveryResendMs >= 1, "RELAY_DELIVERY_RESEND_MS must be at least 1");
    require(deliveryResendMaxMs >= deliveryResendMs,
        "RELAY_DELIVERY_RESEND_MAX_MS must be at least RELAY_DELIVERY_RESEND_MS");
  }

  public static RelayConfig defaults() {
    return new RelayConfig(DEFAULT_ACK_WINDOW, DEFAULT_SLOW_CONSUMER_MS, DEFAULT_RETENTION_FRAMES,
        DEFAULT_SHARDS, DEFAULT_JOB_LEASE_MS, DEFAULT_JOB_DISPATCH_TIMEOUT_MS,
        DEFAULT_JOB_RETRY_BACKOFF_MS, DEFAULT_JOB_MAX_ATTEMPTS, DEFAULT_FRAME_CACHE,
        DEFAULT_RETENTION_TTL_S, DEFAULT_SWEEP_MS, DEFAULT_THREAD_IDLE_MS,
        DEFAULT_SHARD_REACQUIRE_MS, DEFAULT_SHARD_RELEASE_GRACE_MS, DEFAULT_DELIVERY_RESEND_MS,
        DEFAULT_DELIVERY_RESEND_MAX_MS);
  }

  public static RelayConfig from(ConfigSource source) {
    long day = 86_400_000L;
    return new RelayConfig(
        source.intValue("RELAY_ACK_WINDOW", DEFAULT_ACK_WINDOW, 1, 65_536),
        source.longValue("RELAY_SLOW_CONSUMER_MS", DEFAULT_SLOW_CONSUMER_MS, 1, day),
        source.intValue("RELAY_RETENTION_FRAMES", DEFAULT_RETENTION_FRAMES, 1, 10_000_000),
        source.intValue("RELAY_SHARDS", DEFAULT_SHARDS, 1, 65_536),
        source.longValue("RELAY_JOB_LEASE_MS", DEFAULT_JOB_LEASE_MS, 1, day),
        source.longValue("RELAY_JOB_DISPATCH_TIMEOUT_MS", DEFAULT_JOB_DISPATCH_TIMEOUT_MS, 1, day),
        source.longValue("RELAY_JOB_RETRY_BACKOFF_MS", DEFAULT_JOB_RETRY_BACKOFF_MS, 1, day),
        source.intValue("RELAY_JOB_MAX_ATTEMPTS", DEFAULT_JOB_MAX_ATTEMPTS, 1, 1_000),
        source.intValue("RELAY_FRAME_CACHE", DEFAULT_FRAME_CACHE, 1, 1_000_000),
        source.longValue("RELAY_RETENTION_TTL_S", DEFAULT_RETENTION_TTL_S, 1, 10L * 365 * 86_400),
        source.longValue("RELAY_SWEEP_MS", DEFAULT_SWEEP_MS, 1, 60_000),
        source.longValue("RELAY_THREAD_IDLE_MS", DEFAULT_THREAD_IDLE_MS, 1, day),
        source.longValue("RELAY_SHARD_REACQUIRE_MS", DEFAULT_SHARD_REACQUIRE_MS, 1, day),
        source.longValue("RELAY_SHARD_RELEASE_GRACE_MS", DEFAULT_SHARD_RELEASE_GRACE_MS, 0, day),
        source.longValue("RELAY_DELIVERY_RESEND_MS", DEFAULT_DELIVERY_RESEND_MS, 1, day),
        source.longValue("RELAY_DELIVERY_RESEND_MAX_MS", DEFAULT_DELIVERY_RESEND_MAX_MS, 1, day));
  }

  /** Pause before dispatch retry {@code failures} (1-based): doubling, capped at the lease. */
  public long retryBackoffMs(int failures) {
    int shift = Math.min(Math.max(failures - 1, 0), 20);
    return Math.min(jobRetryBackoffMs << shift, Math.max(jobLeaseMs, jobRetryBackoffMs));
  }

  /** Copy with another window, slow-consumer limit, retention and cache (tests). */
  public RelayConfig withFlow(int window, long slowMs, int retention, int cache) {
    return new RelayConfig(window, slowMs, retention, shards, jobLeaseMs, jobDispatchTimeoutMs,
        jobRetryBackoffMs, jobMaxAttempts, cache, retentionTtlS, sweepMs, threadIdleMs,
        shardReacquireMs, shardReleaseGraceMs, deliveryResendMs, deliveryResendMaxMs);
  }

  /** Copy with other job timings (tests). */
  public RelayConfig withJobs(long leaseMs, long dispatchTimeoutMs, long backoffMs, int maxAttempts) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, leaseMs,
        dispatchTimeoutMs, backoffMs, maxAttempts, frameCache, retentionTtlS, sweepMs, threadIdleMs,
        shardReacquireMs, shardReleaseGraceMs, deliveryResendMs, deliveryResendMaxMs);
  }

  /** Copy with another sweep period and idle time (tests). */
  public RelayConfig withSweep(long sweep, long idleMs) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweep,
        idleMs, shardReacquireMs, shardReleaseGraceMs, deliveryResendMs, deliveryResendMaxMs);
  }

  /** Copy with another pause before re-acquiring a fenced shard (tests). */
  public RelayConfig withShardReacquire(long ms) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, ms, shardReleaseGraceMs, deliveryResendMs, deliveryResendMaxMs);
  }

  /** Copy with other delivery resend pauses (tests). */
  public RelayConfig withDeliveryResend(long resendMs, long resendMaxMs) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, shardReacquireMs, shardReleaseGraceMs, resendMs, resendMaxMs);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvalidConfigException(message);
    }
  }
}
