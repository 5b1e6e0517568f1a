package dev.chatrelay.relay;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Setting;
import dev.chatrelay.protocol.config.Settings;

/**
 * Settings of the relay role, read from {@code RELAY_*} variables declared (name, default,
 * bounds, doc) in the registry, {@link Settings}.
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
 * @param retentionMessages conversation frames kept per thread ({@code RELAY_RETENTION_MESSAGES})
 * @param limits what one client can make the relay hold ({@link RelayLimits})
 * @param deliveryResendMs frames sent to a gateway and neither acked nor confirmed received this long are sent again ({@code RELAY_DELIVERY_RESEND_MS})
 * @param deliveryResendMaxMs the pause between resends without progress doubles up to this ({@code RELAY_DELIVERY_RESEND_MAX_MS})
 * @param dispatchWindow replies this relay starts at once: dispatched, nothing appended yet ({@code RELAY_DISPATCH_WINDOW})
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
    int retentionMessages,
    RelayLimits limits,
    long deliveryResendMs,
    long deliveryResendMaxMs,
    int dispatchWindow) {

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final int DEFAULT_ACK_WINDOW = Settings.ACK_WINDOW.intDefault();
  public static final long DEFAULT_SLOW_CONSUMER_MS = Settings.SLOW_CONSUMER_MS.longDefault();
  public static final int DEFAULT_RETENTION_FRAMES = Settings.RETENTION_FRAMES.intDefault();
  public static final int DEFAULT_SHARDS = Settings.SHARDS.intDefault();
  public static final long DEFAULT_JOB_LEASE_MS = Settings.JOB_LEASE_MS.longDefault();
  public static final long DEFAULT_JOB_DISPATCH_TIMEOUT_MS = Settings.JOB_DISPATCH_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_JOB_RETRY_BACKOFF_MS = Settings.JOB_RETRY_BACKOFF_MS.longDefault();
  public static final int DEFAULT_JOB_MAX_ATTEMPTS = Settings.JOB_MAX_ATTEMPTS.intDefault();
  public static final int DEFAULT_FRAME_CACHE = Settings.FRAME_CACHE.intDefault();
  public static final long DEFAULT_RETENTION_TTL_S = Settings.RETENTION_TTL_S.longDefault();
  public static final long DEFAULT_SWEEP_MS = Settings.SWEEP_MS.longDefault();
  public static final long DEFAULT_THREAD_IDLE_MS = Settings.THREAD_IDLE_MS.longDefault();
  public static final long DEFAULT_SHARD_REACQUIRE_MS = Settings.SHARD_REACQUIRE_MS.longDefault();
  public static final long DEFAULT_SHARD_RELEASE_GRACE_MS = Settings.SHARD_RELEASE_GRACE_MS.longDefault();
  public static final int DEFAULT_RETENTION_MESSAGES = Settings.RETENTION_MESSAGES.intDefault();
  public static final long DEFAULT_DELIVERY_RESEND_MS = Settings.DELIVERY_RESEND_MS.longDefault();
  public static final long DEFAULT_DELIVERY_RESEND_MAX_MS = Settings.DELIVERY_RESEND_MAX_MS.longDefault();
  public static final int DEFAULT_DISPATCH_WINDOW = Settings.DISPATCH_WINDOW.intDefault();

  public RelayConfig {
    require(ackWindow >= 1, Settings.ACK_WINDOW, "must be at least 1");
    require(slowConsumerMs >= 1, Settings.SLOW_CONSUMER_MS, "must be at least 1");
    require(retentionFrames >= 1, Settings.RETENTION_FRAMES, "must be at least 1");
    require(shards >= 1, Settings.SHARDS, "must be at least 1");
    require(jobLeaseMs >= 1, Settings.JOB_LEASE_MS, "must be at least 1");
    require(jobDispatchTimeoutMs >= 1, Settings.JOB_DISPATCH_TIMEOUT_MS, "must be at least 1");
    require(jobRetryBackoffMs >= 1, Settings.JOB_RETRY_BACKOFF_MS, "must be at least 1");
    require(jobMaxAttempts >= 1, Settings.JOB_MAX_ATTEMPTS, "must be at least 1");
    require(frameCache >= 1, Settings.FRAME_CACHE, "must be at least 1");
    require(retentionTtlS >= 1, Settings.RETENTION_TTL_S, "must be at least 1");
    require(sweepMs >= 1, Settings.SWEEP_MS, "must be at least 1");
    require(threadIdleMs >= 1, Settings.THREAD_IDLE_MS, "must be at least 1");
    require(shardReacquireMs >= 1, Settings.SHARD_REACQUIRE_MS, "must be at least 1");
    require(shardReleaseGraceMs >= 0, Settings.SHARD_RELEASE_GRACE_MS, "must not be negative");
    require(retentionMessages >= 1, Settings.RETENTION_MESSAGES, "must be at least 1");
    require(limits != null, Settings.MAX_QUEUED_REPLIES, "limits missing");
    require(deliveryResendMs >= 1, Settings.DELIVERY_RESEND_MS, "must be at least 1");
    require(deliveryResendMaxMs >= deliveryResendMs, Settings.DELIVERY_RESEND_MAX_MS,
        "must be at least " + Settings.DELIVERY_RESEND_MS.name());
    require(dispatchWindow >= 1, Settings.DISPATCH_WINDOW, "must be at least 1");
  }

  public static RelayConfig defaults() {
    return new RelayConfig(DEFAULT_ACK_WINDOW, DEFAULT_SLOW_CONSUMER_MS, DEFAULT_RETENTION_FRAMES,
        DEFAULT_SHARDS, DEFAULT_JOB_LEASE_MS, DEFAULT_JOB_DISPATCH_TIMEOUT_MS,
        DEFAULT_JOB_RETRY_BACKOFF_MS, DEFAULT_JOB_MAX_ATTEMPTS, DEFAULT_FRAME_CACHE,
        DEFAULT_RETENTION_TTL_S, DEFAULT_SWEEP_MS, DEFAULT_THREAD_IDLE_MS,
        DEFAULT_SHARD_REACQUIRE_MS, DEFAULT_SHARD_RELEASE_GRACE_MS, DEFAULT_RETENTION_MESSAGES,
        RelayLimits.defaults(), DEFAULT_DELIVERY_RESEND_MS, DEFAULT_DELIVERY_RESEND_MAX_MS,
        DEFAULT_DISPATCH_WINDOW);
  }

  public static RelayConfig from(ConfigSource source) {
    return new RelayConfig(
        source.intValue(Settings.ACK_WINDOW),
        source.longValue(Settings.SLOW_CONSUMER_MS),
        source.intValue(Settings.RETENTION_FRAMES),
        source.intValue(Settings.SHARDS),
        source.longValue(Settings.JOB_LEASE_MS),
        source.longValue(Settings.JOB_DISPATCH_TIMEOUT_MS),
        source.longValue(Settings.JOB_RETRY_BACKOFF_MS),
        source.intValue(Settings.JOB_MAX_ATTEMPTS),
        source.intValue(Settings.FRAME_CACHE),
        source.longValue(Settings.RETENTION_TTL_S),
        source.longValue(Settings.SWEEP_MS),
        source.longValue(Settings.THREAD_IDLE_MS),
        source.longValue(Settings.SHARD_REACQUIRE_MS),
        source.longValue(Settings.SHARD_RELEASE_GRACE_MS),
        source.intValue(Settings.RETENTION_MESSAGES),
        RelayLimits.from(source),
        source.longValue(Settings.DELIVERY_RESEND_MS),
        source.longValue(Settings.DELIVERY_RESEND_MAX_MS),
        source.intValue(Settings.DISPATCH_WINDOW));
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
        shardReacquireMs, shardReleaseGraceMs, retentionMessages, limits,
        deliveryResendMs, deliveryResendMaxMs, dispatchWindow);
  }

  /** Copy with other job timings (tests). */
  public RelayConfig withJobs(long leaseMs, long dispatchTimeoutMs, long backoffMs, int maxAttempts) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, leaseMs,
        dispatchTimeoutMs, backoffMs, maxAttempts, frameCache, retentionTtlS, sweepMs, threadIdleMs,
        shardReacquireMs, shardReleaseGraceMs, retentionMessages, limits,
        deliveryResendMs, deliveryResendMaxMs, dispatchWindow);
  }

  /** Copy with another sweep period and idle time (tests). */
  public RelayConfig withSweep(long sweep, long idleMs) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweep,
        idleMs, shardReacquireMs, shardReleaseGraceMs, retentionMessages, limits,
        deliveryResendMs, deliveryResendMaxMs, dispatchWindow);
  }

  /** Copy with other client limits (tests). */
  public RelayConfig withLimits(RelayLimits other) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, shardReacquireMs, shardReleaseGraceMs, retentionMessages, other,
        deliveryResendMs, deliveryResendMaxMs, dispatchWindow);
  }

  /** Copy with another pause before re-acquiring a fenced shard (tests). */
  public RelayConfig withShardReacquire(long ms) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, ms, shardReleaseGraceMs, retentionMessages, limits,
        deliveryResendMs, deliveryResendMaxMs, dispatchWindow);
  }

  /** Copy with another retention of conversation frames (tests). */
  public RelayConfig withRetentionMessages(int messages) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, shardReacquireMs, shardReleaseGraceMs, messages, limits, deliveryResendMs,
        deliveryResendMaxMs, dispatchWindow);
  }

  /** Copy with other delivery resend pauses (tests). */
  public RelayConfig withDeliveryResend(long resendMs, long resendMaxMs) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, shardReacquireMs, shardReleaseGraceMs, retentionMessages, limits, resendMs,
        resendMaxMs, dispatchWindow);
  }

  /** Copy with another dispatch window (tests). */
  public RelayConfig withDispatchWindow(int window) {
    return new RelayConfig(ackWindow, slowConsumerMs, retentionFrames, shards, jobLeaseMs,
        jobDispatchTimeoutMs, jobRetryBackoffMs, jobMaxAttempts, frameCache, retentionTtlS, sweepMs,
        threadIdleMs, shardReacquireMs, shardReleaseGraceMs, retentionMessages, limits,
        deliveryResendMs, deliveryResendMaxMs, window);
  }

  private static void require(boolean ok, Setting setting, String rule) {
    if (!ok) {
      throw new InvalidConfigException(setting.name() + " " + rule);
    }
  }
}
