package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Setting;
import dev.chatrelay.protocol.config.Settings;
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
 * @param retentionMessages conversation frames kept per thread ({@code RELAY_RETENTION_MESSAGES})
 * @param commandTimeoutMs a command unanswered this long fails as an outage ({@code RELAY_REDIS_COMMAND_TIMEOUT_MS})
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
    int retentionMessages,
    long commandTimeoutMs,
    Tls tls,
    PendingJobLimits pendingJobs) {

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final String DEFAULT_KEY_PREFIX = Settings.REDIS_KEY_PREFIX.fallback();
  public static final int DEFAULT_MAX_IN_FLIGHT = Settings.REDIS_MAX_IN_FLIGHT.intDefault();
  public static final int DEFAULT_MAX_QUEUED = Settings.REDIS_MAX_QUEUED.intDefault();
  public static final long DEFAULT_RECONNECT_INITIAL_MS = Settings.REDIS_RECONNECT_MS.longDefault();
  public static final long DEFAULT_RECONNECT_MAX_MS = Settings.REDIS_RECONNECT_MAX_MS.longDefault();
  public static final long DEFAULT_COMMAND_TIMEOUT_MS = Settings.REDIS_COMMAND_TIMEOUT_MS.longDefault();

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
    require(retentionFrames >= 1, Settings.RETENTION_FRAMES, "must be at least 1");
    require(retentionMessages >= 1, Settings.RETENTION_MESSAGES, "must be at least 1");
    require(retentionTtlSeconds >= 1, Settings.RETENTION_TTL_S, "must be at least 1");
    require(keyPrefix != null && keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0,
        Settings.REDIS_KEY_PREFIX, "must not contain { or } (they would change the hash tag)");
    require(shards >= 1, Settings.SHARDS, "must be at least 1");
    require(maxInFlight >= 1, Settings.REDIS_MAX_IN_FLIGHT, "must be at least 1");
    require(maxQueued >= 0, Settings.REDIS_MAX_QUEUED, "must not be negative");
    require(reconnectInitialMs >= 1, Settings.REDIS_RECONNECT_MS, "must be at least 1");
    require(reconnectMaxMs >= reconnectInitialMs,
        Settings.REDIS_RECONNECT_MAX_MS,
        "must be at least " + Settings.REDIS_RECONNECT_MS.name());
    require(commandTimeoutMs >= 1, Settings.REDIS_COMMAND_TIMEOUT_MS, "must be at least 1");
  }

  /** Defaults for Redis at {@code url}, with the relay's default retention and shard count. */
  public static RedisJournalOptions defaults(String url) {
    return new RedisJournalOptions(url, RelayConfig.DEFAULT_RETENTION_FRAMES,
        RelayConfig.DEFAULT_RETENTION_TTL_S, Clock.SYSTEM, DEFAULT_KEY_PREFIX,
        RelayConfig.DEFAULT_SHARDS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED,
        DEFAULT_RECONNECT_INITIAL_MS, DEFAULT_RECONNECT_MAX_MS,
        RelayConfig.DEFAULT_RETENTION_MESSAGES, DEFAULT_COMMAND_TIMEOUT_MS, Tls.DEFAULT,
        PendingJobLimits.DEFAULT);
  }

  /**
   * The options from {@code RELAY_REDIS_*} variables, retention and shards from {@code relay};
   * empty when {@code RELAY_REDIS_URL} is unset (the relay then uses the in-memory journal).
   */
  public static Optional<RedisJournalOptions> from(ConfigSource source, RelayConfig relay,
      Clock clock) {
    String url = source.raw(Settings.REDIS_URL);
    if (url == null) {
      return Optional.empty();
    }
    long initial = source.longValue(Settings.REDIS_RECONNECT_MS);
    return Optional.of(new RedisJournalOptions(url, relay.retentionFrames(), relay.retentionTtlS(),
        clock, source.string(Settings.REDIS_KEY_PREFIX), relay.shards(),
        source.intValue(Settings.REDIS_MAX_IN_FLIGHT),
        source.intValue(Settings.REDIS_MAX_QUEUED),
        initial,
        source.longValue(Settings.REDIS_RECONNECT_MAX_MS,
            Math.max(initial, DEFAULT_RECONNECT_MAX_MS)), relay.retentionMessages(),
        source.longValue(Settings.REDIS_COMMAND_TIMEOUT_MS),
        new Tls(readableOrNull(source.raw(Settings.REDIS_TLS_CA)),
            source.bool(Settings.REDIS_TLS_VERIFY_HOST)),
        PendingJobLimits.from(source)));
  }

  private static String readableOrNull(String path) {
    if (path == null) {
      return null;
    }
    if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path.trim()))) {
      throw new InvalidConfigException(Settings.REDIS_TLS_CA.name(), path, "a readable PEM file");
    }
    return path.trim();
  }

  /** Copy with another key prefix (tests: one per test so runs never collide). */
  public RedisJournalOptions withKeyPrefix(String prefix) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, prefix, shards,
        maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, retentionMessages,
        commandTimeoutMs, tls, pendingJobs);
  }

  /** Copy with another retention and clock. */
  public RedisJournalOptions withRetention(int frames, long ttlSeconds, Clock stampClock) {
    return new RedisJournalOptions(url, frames, ttlSeconds, stampClock, keyPrefix, shards,
        maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, retentionMessages,
        commandTimeoutMs, tls, pendingJobs);
  }

  /** Copy with another retention of conversation frames. */
  public RedisJournalOptions withRetentionMessages(int messages) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, keyPrefix,
        shards, maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, messages,
        commandTimeoutMs, tls, pendingJobs);
  }

  /** Copy with other reconnect pauses. */
  public RedisJournalOptions withReconnect(long initialMs, long maxMs) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, keyPrefix,
        shards, maxInFlight, maxQueued, initialMs, maxMs, retentionMessages,
        commandTimeoutMs, tls, pendingJobs);
  }

  /** Copy with another command timeout. */
  public RedisJournalOptions withCommandTimeout(long ms) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, keyPrefix,
        shards, maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, retentionMessages, ms, tls,
        pendingJobs);
  }

  /** Copy with other pending-job limits. */
  public RedisJournalOptions withPendingJobs(PendingJobLimits limits) {
    return new RedisJournalOptions(url, retentionFrames, retentionTtlSeconds, clock, keyPrefix,
        shards, maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs, retentionMessages,
        commandTimeoutMs, tls, limits);
  }

  /** Copy for another Redis URL and TLS trust (tests: a password-protected or TLS server). */
  public RedisJournalOptions withUrl(String otherUrl, Tls otherTls) {
    return new RedisJournalOptions(otherUrl, retentionFrames, retentionTtlSeconds, clock,
        keyPrefix, shards, maxInFlight, maxQueued, reconnectInitialMs, reconnectMaxMs,
        retentionMessages, commandTimeoutMs, otherTls, pendingJobs);
  }

  /** The URL's password never reaches a log line through this record. */
  @Override
  public String toString() {
    return "RedisJournalOptions[url=" + RedisUrl.redacted(url) + ", retentionFrames="
        + retentionFrames + ", retentionTtlSeconds=" + retentionTtlSeconds + ", keyPrefix="
        + keyPrefix + ", shards=" + shards + ", maxInFlight=" + maxInFlight + ", maxQueued="
        + maxQueued + ", reconnectInitialMs=" + reconnectInitialMs + ", reconnectMaxMs="
        + reconnectMaxMs + ", retentionMessages=" + retentionMessages + ", commandTimeoutMs="
        + commandTimeoutMs + ", tls=" + tls
        + ", pendingJobs=" + pendingJobs + "]";
  }

  private static void require(boolean ok, Setting setting, String rule) {
    if (!ok) {
      throw new InvalidConfigException(setting.name() + " " + rule);
    }
  }
}
