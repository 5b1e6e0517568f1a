package dev.chatrelay.gateway;

import dev.chatrelay.gateway.auth.PublicKeyFile;
import dev.chatrelay.gateway.auth.PublicKeyPem;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Settings;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway role reads from its environment. Every field comes from one
 * {@code RELAY_*} setting declared (name, default, bounds, doc) in the registry, {@link Settings}.
 *
 * @param httpPort          RELAY_HTTP_PORT: HTTP/WebSocket port; 0 = a random port per
 *                          instance, -1 = one random port shared by every instance (tests)
 * @param hs256Secret       RELAY_JWT_HS256_SECRET: HS256 key (UTF-8 bytes), or null
 * @param publicKeysPath    RELAY_JWT_PUBLIC_KEYS: PEM file path, or null
 * @param publicKeys        the keys read from {@code publicKeysPath} at configuration time
 * @param jwtIssuer         RELAY_JWT_ISSUER: required {@code iss}, or null
 * @param jwtAudience       RELAY_JWT_AUDIENCE: required {@code aud}, or null
 * @param jwtLeewayMs       RELAY_JWT_LEEWAY_MS: clock leeway for exp/nbf
 * @param allowedOrigins    RELAY_ALLOWED_ORIGINS: allowed Origin values; {@code ["*"]} = all
 * @param heartbeatMs       RELAY_HEARTBEAT_MS: server ping interval
 * @param helloTimeoutMs    RELAY_HELLO_TIMEOUT_MS: time allowed for hello
 * @param tokenExpiringMs   RELAY_TOKEN_EXPIRING_MS: token_expiring lead time
 * @param maxFrameBytes     RELAY_MAX_FRAME_BYTES: largest client message
 * @param adminToken        RELAY_ADMIN_TOKEN: admin API bearer, or null = admin API off
 * @param shards            RELAY_SHARDS: shard count of the relay role
 * @param rateLimitPerS     RELAY_RATE_LIMIT_PER_S: commands per second per connection
 * @param rateLimitBurst    RELAY_RATE_LIMIT_BURST: command burst per connection
 * @param rateLimitCloseMs  RELAY_RATE_LIMIT_CLOSE_MS: rejections persisting this long close 4029
 * @param rateLimitQuietMs  RELAY_RATE_LIMIT_QUIET_MS: a pause this long between rejections ends a streak
 * @param httpRatePerS      RELAY_HTTP_RATE_PER_S: thread API requests per second per user and process
 * @param httpRateBurst     RELAY_HTTP_RATE_BURST: thread API request burst per user and process
 * @param drainBatch        RELAY_DRAIN_BATCH: sessions closed per drain step (all instances)
 * @param drainIntervalMs   RELAY_DRAIN_INTERVAL_MS: pause between drain steps
 * @param drainGraceMs      RELAY_DRAIN_GRACE_MS: a drain completes after this at the latest
 * @param busTimeoutMs      RELAY_BUS_TIMEOUT_MS: total time for a request to a relay, retries included
 * @param busRetryMs        RELAY_BUS_RETRY_MS: first pause before retrying a relay request (doubles)
 * @param busAttemptMs      RELAY_BUS_ATTEMPT_TIMEOUT_MS: one attempt of a relay request waits this long
 * @param busRecordBatch    RELAY_BUS_RECORD_BATCH: most acks, receipts and unsubscribes in one message to a relay node
 * @param sweepMs           RELAY_SWEEP_MS: longest pause between two timer sweeps of the sessions
 * @param devTokens         RELAY_DEV_TOKENS: POST /dev/token on (needs an HS256 secret)
 * @param devTokenTtlS      RELAY_DEV_TOKEN_TTL_S: lifetime of dev tokens
 * @param limits            the per-client limits of PROTOCOL.md "Limits" ({@link ClientLimits})
 */
public record GatewayConfig(
    int httpPort,
    String hs256Secret,
    String publicKeysPath,
    List<PublicKeyPem> publicKeys,
    String jwtIssuer,
    String jwtAudience,
    long jwtLeewayMs,
    List<String> allowedOrigins,
    long heartbeatMs,
    long helloTimeoutMs,
    long tokenExpiringMs,
    int maxFrameBytes,
    String adminToken,
    int shards,
    int rateLimitPerS,
    int rateLimitBurst,
    long rateLimitCloseMs,
    long rateLimitQuietMs,
    int httpRatePerS,
    int httpRateBurst,
    int drainBatch,
    long drainIntervalMs,
    long drainGraceMs,
    long busTimeoutMs,
    long busRetryMs,
    long busAttemptMs,
    int busRecordBatch,
    long sweepMs,
    boolean devTokens,
    long devTokenTtlS,
    ClientLimits limits) {

  public static final String HTTP_PORT = Settings.HTTP_PORT.name();
  public static final String JWT_HS256_SECRET = Settings.JWT_HS256_SECRET.name();
  public static final String JWT_PUBLIC_KEYS = Settings.JWT_PUBLIC_KEYS.name();
  public static final String JWT_ISSUER = Settings.JWT_ISSUER.name();
  public static final String JWT_AUDIENCE = Settings.JWT_AUDIENCE.name();
  public static final String JWT_LEEWAY_MS = Settings.JWT_LEEWAY_MS.name();
  public static final String ALLOWED_ORIGINS = Settings.ALLOWED_ORIGINS.name();
  public static final String HEARTBEAT_MS = Settings.HEARTBEAT_MS.name();
  public static final String HELLO_TIMEOUT_MS = Settings.HELLO_TIMEOUT_MS.name();
  public static final String TOKEN_EXPIRING_MS = Settings.TOKEN_EXPIRING_MS.name();
  public static final String MAX_FRAME_BYTES = Settings.MAX_FRAME_BYTES.name();
  public static final String ADMIN_TOKEN = Settings.ADMIN_TOKEN.name();
  public static final String SHARDS = Settings.SHARDS.name();
  public static final String RATE_LIMIT_PER_S = Settings.RATE_LIMIT_PER_S.name();
  public static final String RATE_LIMIT_BURST = Settings.RATE_LIMIT_BURST.name();
  public static final String RATE_LIMIT_CLOSE_MS = Settings.RATE_LIMIT_CLOSE_MS.name();
  public static final String RATE_LIMIT_QUIET_MS = Settings.RATE_LIMIT_QUIET_MS.name();
  public static final String HTTP_RATE_PER_S = Settings.HTTP_RATE_PER_S.name();
  public static final String HTTP_RATE_BURST = Settings.HTTP_RATE_BURST.name();
  public static final String DRAIN_BATCH = Settings.DRAIN_BATCH.name();
  public static final String DRAIN_INTERVAL_MS = Settings.DRAIN_INTERVAL_MS.name();
  public static final String DRAIN_GRACE_MS = Settings.DRAIN_GRACE_MS.name();
  public static final String BUS_TIMEOUT_MS = Settings.BUS_TIMEOUT_MS.name();
  public static final String BUS_RETRY_MS = Settings.BUS_RETRY_MS.name();
  public static final String BUS_ATTEMPT_TIMEOUT_MS = Settings.BUS_ATTEMPT_TIMEOUT_MS.name();
  public static final String BUS_RECORD_BATCH = Settings.BUS_RECORD_BATCH.name();
  public static final String SWEEP_MS = Settings.SWEEP_MS.name();
  public static final String DEV_TOKENS = Settings.DEV_TOKENS.name();
  public static final String DEV_TOKEN_TTL_S = Settings.DEV_TOKEN_TTL_S.name();

  /** PROTOCOL.md Limits: an HS256 key shorter than this many UTF-8 bytes refuses to start. */
  public static final int MIN_HS256_SECRET_BYTES = 32;

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final int DEFAULT_HTTP_PORT = Settings.HTTP_PORT.intDefault();
  public static final long DEFAULT_JWT_LEEWAY_MS = Settings.JWT_LEEWAY_MS.longDefault();
  public static final long DEFAULT_HEARTBEAT_MS = Settings.HEARTBEAT_MS.longDefault();
  public static final long DEFAULT_HELLO_TIMEOUT_MS = Settings.HELLO_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_TOKEN_EXPIRING_MS = Settings.TOKEN_EXPIRING_MS.longDefault();
  public static final int DEFAULT_MAX_FRAME_BYTES = Settings.MAX_FRAME_BYTES.intDefault();
  public static final int DEFAULT_SHARDS = Settings.SHARDS.intDefault();
  public static final int DEFAULT_RATE_LIMIT_PER_S = Settings.RATE_LIMIT_PER_S.intDefault();
  public static final int DEFAULT_RATE_LIMIT_BURST = Settings.RATE_LIMIT_BURST.intDefault();
  public static final long DEFAULT_RATE_LIMIT_CLOSE_MS = Settings.RATE_LIMIT_CLOSE_MS.longDefault();
  public static final long DEFAULT_RATE_LIMIT_QUIET_MS = Settings.RATE_LIMIT_QUIET_MS.longDefault();
  public static final int DEFAULT_HTTP_RATE_PER_S = Settings.HTTP_RATE_PER_S.intDefault();
  public static final int DEFAULT_HTTP_RATE_BURST = Settings.HTTP_RATE_BURST.intDefault();
  public static final int DEFAULT_DRAIN_BATCH = Settings.DRAIN_BATCH.intDefault();
  public static final long DEFAULT_DRAIN_INTERVAL_MS = Settings.DRAIN_INTERVAL_MS.longDefault();
  public static final long DEFAULT_DRAIN_GRACE_MS = Settings.DRAIN_GRACE_MS.longDefault();
  public static final long DEFAULT_BUS_TIMEOUT_MS = Settings.BUS_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_BUS_RETRY_MS = Settings.BUS_RETRY_MS.longDefault();
  public static final long DEFAULT_BUS_ATTEMPT_TIMEOUT_MS = Settings.BUS_ATTEMPT_TIMEOUT_MS.longDefault();
  public static final int DEFAULT_BUS_RECORD_BATCH = Settings.BUS_RECORD_BATCH.intDefault();
  public static final long DEFAULT_SWEEP_MS = Settings.SWEEP_MS.longDefault();
  public static final boolean DEFAULT_DEV_TOKENS = Settings.DEV_TOKENS.boolDefault();
  public static final long DEFAULT_DEV_TOKEN_TTL_S = Settings.DEV_TOKEN_TTL_S.longDefault();
  /** The fastest sweep, whatever the timeouts: below this the sweep itself becomes the load. */
  public static final long MIN_SWEEP_MS = Settings.SWEEP_MS.min();
  /** PROTOCOL.md: history page size when {@code limit} is absent ... */
  public static final int HISTORY_DEFAULT_LIMIT = 100;
  /** ... and the largest one (larger requests are clamped). */
  public static final int HISTORY_MAX_LIMIT = 1_000;

  public GatewayConfig {
    publicKeys = List.copyOf(publicKeys);
    allowedOrigins = List.copyOf(allowedOrigins);
    if (hs256Secret != null
        && hs256Secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_HS256_SECRET_BYTES) {
      throw new InvalidConfigException("invalid " + JWT_HS256_SECRET + ": it must be at least "
          + MIN_HS256_SECRET_BYTES + " bytes (UTF-8) of random data, e.g. openssl rand -base64 48");
    }
    java.util.Objects.requireNonNull(limits, "limits");
    if (hs256Secret == null && publicKeys.isEmpty()) {
      throw new InvalidConfigException("no JWT key configured: set " + JWT_HS256_SECRET
          + " (HS256 secret) or " + JWT_PUBLIC_KEYS + " (PEM file of RS256/ES256 public keys)");
    }
  }

  /** Reads every gateway variable; fails with a message naming the first invalid one. */
  public static GatewayConfig from(ConfigSource source) {
    int port = source.intValue(Settings.HTTP_PORT);
    String keysPath = source.raw(Settings.JWT_PUBLIC_KEYS);
    List<PublicKeyPem> keys = keysPath == null ? List.of() : PublicKeyFile.load(JWT_PUBLIC_KEYS, keysPath);
    return new GatewayConfig(
        port,
        source.raw(Settings.JWT_HS256_SECRET),
        keysPath,
        keys,
        source.raw(Settings.JWT_ISSUER),
        source.raw(Settings.JWT_AUDIENCE),
        source.longValue(Settings.JWT_LEEWAY_MS),
        origins(source.raw(Settings.ALLOWED_ORIGINS), port),
        source.longValue(Settings.HEARTBEAT_MS),
        source.longValue(Settings.HELLO_TIMEOUT_MS),
        source.longValue(Settings.TOKEN_EXPIRING_MS),
        source.intValue(Settings.MAX_FRAME_BYTES),
        source.raw(Settings.ADMIN_TOKEN),
        source.intValue(Settings.SHARDS),
        source.intValue(Settings.RATE_LIMIT_PER_S),
        source.intValue(Settings.RATE_LIMIT_BURST),
        source.longValue(Settings.RATE_LIMIT_CLOSE_MS),
        source.longValue(Settings.RATE_LIMIT_QUIET_MS),
        source.intValue(Settings.HTTP_RATE_PER_S),
        source.intValue(Settings.HTTP_RATE_BURST),
        source.intValue(Settings.DRAIN_BATCH),
        source.longValue(Settings.DRAIN_INTERVAL_MS),
        source.longValue(Settings.DRAIN_GRACE_MS),
        source.longValue(Settings.BUS_TIMEOUT_MS),
        source.longValue(Settings.BUS_RETRY_MS),
        source.longValue(Settings.BUS_ATTEMPT_TIMEOUT_MS),
        source.intValue(Settings.BUS_RECORD_BATCH),
        source.longValue(Settings.SWEEP_MS),
        source.bool(Settings.DEV_TOKENS),
        source.longValue(Settings.DEV_TOKEN_TTL_S),
        ClientLimits.from(source));
  }

  /** All defaults with a fresh random HS256 secret (tests, embedded use); read it from the record. */
  public static GatewayConfig defaults() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return from(ConfigSource.of(Map.of(JWT_HS256_SECRET, HexFormat.of().formatHex(secret))));
  }

  /** True when every Origin is allowed. */
  public boolean allowsAnyOrigin() {
    return allowedOrigins.contains("*");
  }

  /**
   * How often the sessions are swept for heartbeats, hello and token timeouts: often enough to
   * act within a quarter of the shortest of them, at most every {@code sweepMs}.
   */
  public long sweepIntervalMs() {
    long quarter = Math.min(heartbeatMs, helloTimeoutMs) / 4;
    return Math.max(MIN_SWEEP_MS, Math.min(sweepMs, quarter));
  }

  /** The dev token endpoint needs an HS256 secret to sign with. */
  public boolean devTokenEndpointEnabled() {
    return devTokens && hs256Secret != null;
  }

  private static List<String> origins(String raw, int port) {
    if (raw == null) {
      return List.of("http://localhost:" + port, "http://127.0.0.1:" + port);
    }
    List<String> list = Arrays.stream(raw.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(GatewayConfig::normalizeOrigin)
        .toList();
    if (list.isEmpty()) {
      throw new InvalidConfigException(ALLOWED_ORIGINS, raw, "a comma list of origins or *");
    }
    return list;
  }

  /** Origins compare case-insensitively and without a trailing slash. */
  public static String normalizeOrigin(String origin) {
    String o = origin.trim().toLowerCase(java.util.Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  /** Secrets stay out of logs: only whether they are set is shown. */
  @Override
  public String toString() {
    return "GatewayConfig[httpPort=" + httpPort
        + ", hs256Secret=" + (hs256Secret == null ? "unset" : "set")
        + ", publicKeysPath=" + publicKeysPath + ", publicKeys=" + publicKeys
        + ", jwtIssuer=" + jwtIssuer + ", jwtAudience=" + jwtAudience
        + ", jwtLeewayMs=" + jwtLeewayMs + ", allowedOrigins=" + allowedOrigins
        + ", heartbeatMs=" + heartbeatMs + ", helloTimeoutMs=" + helloTimeoutMs
        + ", tokenExpiringMs=" + tokenExpiringMs + ", maxFrameBytes=" + maxFrameBytes
        + ", adminToken=" + (adminToken == null ? "unset" : "set")
        + ", shards=" + shards + ", rateLimitPerS=" + rateLimitPerS
        + ", rateLimitBurst=" + rateLimitBurst + ", rateLimitCloseMs=" + rateLimitCloseMs
        + ", rateLimitQuietMs=" + rateLimitQuietMs + ", httpRatePerS=" + httpRatePerS
        + ", httpRateBurst=" + httpRateBurst + ", drainBatch=" + drainBatch
        + ", drainIntervalMs=" + drainIntervalMs + ", drainGraceMs=" + drainGraceMs
        + ", busTimeoutMs=" + busTimeoutMs + ", busRetryMs=" + busRetryMs
        + ", busAttemptMs=" + busAttemptMs + ", busRecordBatch=" + busRecordBatch
        + ", sweepMs=" + sweepMs + ", devTokens=" + devTokens
        + ", devTokenTtlS=" + devTokenTtlS + ", limits=" + limits + "]";
  }
}
