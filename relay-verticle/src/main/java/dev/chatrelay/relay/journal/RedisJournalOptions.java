package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.relay.RelayConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of {@link RedisJournal}.
 *
 * @param url Redis to connect to, e.g. {@code redis://127.0.0.1:6379/0} ({@code RELAY_REDIS_URL})
 * @param retentionFrames frames kept per thread ({@code RELAY_RETENTION_FRAMES})
 * @param retentionTtlSeconds all keys of a thread expire this long after its last append ({@code RELAY_RETENTION_TTL_S})
 * @param clock stamps {@code ts} on new frames (the relay's clock, so tests can fake it)
 * @param keyPrefix prepended to every key, e.g. to share one Redis between deployments ({@code RELAY_REDIS_KEY_PREFIX})
 * @param shards shard count, the same as the relay's: a thread's shard picks its keys' hash tag and fence ({@code RELAY_SHARDS})
 * @param maxInFlight commands sent and not yet answered on the one connection ({@code RELAY_REDIS_MAX_IN_FLIGHT})
 * @param maxQueued commands waiting for an in-flight slot before new ones fail ({@code RELAY_REDIS_MAX_QUEUED})
 * @param reconnectInitialMs first pause before reconnecting after the connection dropped ({@code RELAY_REDIS_RECONNECT_MS})
 * @param reconnectMaxMs the pause doubles per failed attempt up to this ({@code RELAY_REDIS_RECONNECT_MAX_MS})
 * @param tls how a {@code rediss://} server is verified; unused for {@code redis://}
 * @param pendingJobs how long and how many pending-job records are kept per shard
 */
public record RedisJournalOptions(
    String url,
    int retentionFrames,
    long retentionTtlSeconds,
    Clock clock,
    String keyPrefix,
    int shards,
    int maxInFlight,
    int maxQueued,
    long reconnectInitialMs,
    long reconnectMaxMs,
    Tls tls,
    PendingJobLimits pendingJobs) {

  /** Prefix of every key of this product. */
  public static final String DEFAULT_KEY_PREFIX = "cr:";
  /** In flight on one connection: the measured sweet spot (FACTS.md: ~216k ops/s at 256). */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  /** Waiting commands beyond the in-flight ones; more fail fast instead of growing the heap. */
  public static final int DEFAULT_MAX_QUEUED = 65_536;
  /** First reconnect pause: short, a restarted Redis is usually back within a second. */
  public static final long DEFAULT_RECONNECT_INITIAL_MS = 100;
  /** Longest reconnect pause. */
  public static final long DEFAULT_RECONNECT_MAX_MS = 5_000;

  /**
   * Trust of a {@code rediss://} connection.
   *
   * @param caPath PEM CA certificate(s) the server's certificate must chain to; null = the JVM's
   *     default trust store ({@code RELAY_REDIS_TLS_CA})
   * @param verifyHost the certificate must name the URL's host ({@code RELAY_REDIS_TLS_VERIFY_HOST})
   */
  public record Tls(String caPath, boolean verifyHost) {
    /** The JVM's trust store, host name checked. */
    public static final Tls DEFAULT = new Tls(null, true);
  }

  public RedisJournalOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(pendingJobs, "pendingJobs");
    RedisUrl.validate(url);
    require(retentionFrames >= 1, "RELAY_RETENTION_FRAMES must be at least 1");
    require(retentionTtlSeconds >= 1, "RELAY_RETENTION_TTL_S must be at least 1");
    require(keyPrefix != null && keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0,
        "RELAY_REDIS_KEY_PREFIX must not contain { or } (they would change the hash tag)");
    require(shards >= 1, "RELAY_SHARDS must be at least 1");
    require(maxInFlight >= 1, "RELAY_REDIS_MAX_IN_FLIGHT must be at least 1");
    require(maxQueued >= 0, "RELAY_REDIS_MAX_QUEUED must not be negative");
    require(reconnectInitialMs >= 1, "RELAY_REDIS_RECONNECT_MS must be at least 1");
    require(reconnectMaxMs >= reconnectInitialMs,
        "RELAY_REDIS_RECONNECT_MAX_MS must be at least RELAY_REDIS_RECONNECT_MS");
  }

  /** Defaults for Redis at {@code url}, with the relay's default retention and shard count. */
  public static RedisJournalOptions defaults(String url) {
    return new RedisJournalOptions(url, RelayConfig.DEFAULT_RETENTION_FRAMES,
        RelayConfig.DEFAULT_RETENTION_TTL_S, Clock.SYSTEM, DEFAULT_KEY_PREFIX,
        RelayConfig.DEFAULT_SHARDS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED,
        DEFAULT_RECONNECT_INITIAL_MS, DEFAULT_RECONNECT_MAX_MS, Tls.DEFAULT,
        PendingJobLimits.DEFAULT);
  }

  /**
   * The options from {@code RELAY_REDIS_*} variables, retention and shards from {@code relay};
   * empty when {@code RELAY_REDIS_URL} is unset (the relay then uses the in-memory journal).
   */
  public static Optional<RedisJournalOptions> from(ConfigSource source, RelayConfig relay,
      Clock clock) {
    String url = source.raw("RELAY_REDIS_URL");
    if (url == null) {
      return Optional.empty();
    }
    long day = 86_400_000L;
    long initial = source.longValue("RELAY_REDIS_RECONNECT_MS", DEFAULT_RECONNECT_INITIAL_MS, 1, day);
    return Optional.of(new RedisJournalOptions(url, relay.retentionFrames(), relay.retentionTtlS(),
        clock, source.string("RELAY_REDIS_KEY_PREFIX", DEFAULT_KEY_PREFIX), relay.shards(),
        source.intValue("RELAY_REDIS_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT, 1, 65_536),
        source.intValue("RELAY_REDIS_MAX_QUEUED", DEFAULT_MAX_QUEUED, 0, 10_000_000),
        initial,
        source.longValue("RELAY_REDIS_RECONNECT_MAX_MS", Math.max(initial, DEFAULT_RECONNECT_MAX_MS),
            1, day),
        new Tls(readableOrNull(source.raw("RELAY_REDIS_TLS_CA")),
            source.bool("RELAY_REDIS_TLS_VERIFY_HOST", Tls.DEFAULT.verifyHost())),
        PendingJobLimits.from(source)));
  }

  private static String readableOrNull(String path) {
    if (path == null) {
      return null;
    }
    if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path.trim()))) {
      throw new InvalidConfigException("RELAY_REDIS_TLS_CA", path, "a readable PEM file");
    }
    return path.trim();
  }

  /** Copy with another key prefix (tests: one per test so runs never collide). */
  public RedisJournalOptions withKeyPrefix(String prefix) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, prefix, shards,
        maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, tls, pendingJobs);
  }

  /** Copy with another retention and clock. */
  public RedisJournalOptions withRetention(int frames, long ttlSeconds, Clock stampClock) {
    return new RedisJournalOptions(url, frames, ttlSeconds, stampClock, keyPrefix, shards,
        maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, tls, pendingJobs);
  }

  /** Copy with other reconnect pauses. */
  public RedisJournalOptions withReconnect(long initialMs, long maxMs) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, keyPrefix,
        shards, maxInFlight, maxQueued, initialMs, maxMs, tls, pendingJobs);
  }

  /** Copy with other pending-job limits. */
  public RedisJournalOptions withPendingJobs(PendingJobLimits limits) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, keyPrefix,
        shards, maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, tls, limits);
  }

  /** Copy for another Redis URL and TLS trust (tests: a password-protected or TLS server). */
  public RedisJournalOptions withUrl(String otherUrl, Tls otherTls) {
    return new RedisJournalOptions(otherUrl, retentionFrames, retentionTtlSeconds, clock,
        keyPrefix, shards, maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, otherTls,
        pendingJobs);
  }

  /** The URL's password never reaches a log line through this record. */
  @Override
  public String toString() {
    return "RedisJournalOptions[url=" + RedisUrl.redacted(url) + ", retentionFrames="
        + retentionFrames + ", retentionTtlSeconds=" + retentionTtlSeconds + ", keyPrefix="
        + keyPrefix + ", shards=" + shards + ", maxInFlight=" + maxInFlight + ", maxQueued="
        + maxQueued + ", reconnectInitialMs=" + reconnectInitialMs + ", reconnectMaxMs="
        + reconnectMaxMs + ", tls=" + tls + ", pendingJobs=" + pendingJobs + "]";
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvalidConfigException(message);
    }
  }
}
