package dev.chatrelay.gateway;

import dev.chatrelay.gateway.auth.PublicKeyFile;
import dev.chatrelay.gateway.auth.PublicKeyPem;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway role reads from its environment, with the defaults of PROTOCOL.md.
 * Every field comes from one {@code RELAY_*} variable; see the constants for names and defaults.
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
    long sweepMs,
    boolean devTokens,
    long devTokenTtlS,
    ClientLimits limits) {

  public static final String HTTP_PORT = "RELAY_HTTP_PORT";
  public static final String JWT_HS256_SECRET = "RELAY_JWT_HS256_SECRET";
  public static final String JWT_PUBLIC_KEYS = "RELAY_JWT_PUBLIC_KEYS";
  public static final String JWT_ISSUER = "RELAY_JWT_ISSUER";
  public static final String JWT_AUDIENCE = "RELAY_JWT_AUDIENCE";
  public static final String JWT_LEEWAY_MS = "RELAY_JWT_LEEWAY_MS";
  public static final String ALLOWED_ORIGINS = "RELAY_ALLOWED_ORIGINS";
  public static final String HEARTBEAT_MS = "RELAY_HEARTBEAT_MS";
  public static final String HELLO_TIMEOUT_MS = "RELAY_HELLO_TIMEOUT_MS";
  public static final String TOKEN_EXPIRING_MS = "RELAY_TOKEN_EXPIRING_MS";
  public static final String MAX_FRAME_BYTES = "RELAY_MAX_FRAME_BYTES";
  public static final String ADMIN_TOKEN = "RELAY_ADMIN_TOKEN";
  public static final String SHARDS = "RELAY_SHARDS";
  public static final String RATE_LIMIT_PER_S = "RELAY_RATE_LIMIT_PER_S";
  public static final String RATE_LIMIT_BURST = "RELAY_RATE_LIMIT_BURST";
  public static final String RATE_LIMIT_CLOSE_MS = "RELAY_RATE_LIMIT_CLOSE_MS";
  public static final String RATE_LIMIT_QUIET_MS = "RELAY_RATE_LIMIT_QUIET_MS";
  public static final String HTTP_RATE_PER_S = "RELAY_HTTP_RATE_PER_S";
  public static final String HTTP_RATE_BURST = "RELAY_HTTP_RATE_BURST";
  public static final String DRAIN_BATCH = "RELAY_DRAIN_BATCH";
  public static final String DRAIN_INTERVAL_MS = "RELAY_DRAIN_INTERVAL_MS";
  public static final String DRAIN_GRACE_MS = "RELAY_DRAIN_GRACE_MS";
  public static final String BUS_TIMEOUT_MS = "RELAY_BUS_TIMEOUT_MS";
  public static final String BUS_RETRY_MS = "RELAY_BUS_RETRY_MS";
  public static final String BUS_ATTEMPT_TIMEOUT_MS = "RELAY_BUS_ATTEMPT_TIMEOUT_MS";
  public static final String SWEEP_MS = "RELAY_SWEEP_MS";
  public static final String DEV_TOKENS = "RELAY_DEV_TOKENS";
  public static final String DEV_TOKEN_TTL_S = "RELAY_DEV_TOKEN_TTL_S";

  /** PROTOCOL.md Limits: an HS256 key shorter than this many UTF-8 bytes refuses to start. */
  public static final int MIN_HS256_SECRET_BYTES = 32;

  /** PROTOCOL.md: gateway port. */
  public static final int DEFAULT_HTTP_PORT = 8080;
  /** PROTOCOL.md: clock leeway for exp and nbf. */
  public static final long DEFAULT_JWT_LEEWAY_MS = 5_000;
  /** PROTOCOL.md: server ping interval. */
  public static final long DEFAULT_HEARTBEAT_MS = 25_000;
  /** PROTOCOL.md: time allowed for hello. */
  public static final long DEFAULT_HELLO_TIMEOUT_MS = 5_000;
  /** PROTOCOL.md: token_expiring lead time. */
  public static final long DEFAULT_TOKEN_EXPIRING_MS = 60_000;
  /** PROTOCOL.md: largest client message, 64 KiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 65_536;
  /** ARCHITECTURE.md: shard count; must match the relays'. */
  public static final int DEFAULT_SHARDS = Shards.DEFAULT_COUNT;
  /** PROTOCOL.md: 50 commands per second ... */
  public static final int DEFAULT_RATE_LIMIT_PER_S = 50;
  /** ... with bursts of 100 ... */
  public static final int DEFAULT_RATE_LIMIT_BURST = 100;
  /** ... persisting for 5 s: close 4029. */
  public static final long DEFAULT_RATE_LIMIT_CLOSE_MS = 5_000;
  /** One second without a rejection ends a rejection streak. */
  public static final long DEFAULT_RATE_LIMIT_QUIET_MS = 1_000;
  /** A user's HTTP thread API calls (history pages, posted messages): 20 a second ... */
  public static final int DEFAULT_HTTP_RATE_PER_S = 20;
  /** ... with bursts of 40 (a page loading a few threads' history at once). */
  public static final int DEFAULT_HTTP_RATE_BURST = 40;
  /** 200 closes per 50 ms step: 4 000 sessions a second reconnect elsewhere without a stampede. */
  public static final int DEFAULT_DRAIN_BATCH = 200;
  public static final long DEFAULT_DRAIN_INTERVAL_MS = 50;
  /** Below Kubernetes' default 30 s termination grace, so a drain ends before SIGKILL. */
  public static final long DEFAULT_DRAIN_GRACE_MS = 20_000;
  /**
   * A relay request (with retries while a shard moves) gives up after this: well above the
   * ~5 s a dead relay takes to leave the cluster and its shards to move, so a relay crash costs
   * a pause, not an error.
   */
  public static final long DEFAULT_BUS_TIMEOUT_MS = 15_000;
  public static final long DEFAULT_BUS_RETRY_MS = 50;
  /**
   * A live relay answers in milliseconds; a request sent to one that just died is never answered,
   * so each attempt is cut short and sent again to whoever consumes the shard now.
   */
  public static final long DEFAULT_BUS_ATTEMPT_TIMEOUT_MS = 2_000;
  /** Sweep at least once a second; shorter heartbeat/hello timeouts sweep faster (see sweepIntervalMs). */
  public static final long DEFAULT_SWEEP_MS = 1_000;
  public static final boolean DEFAULT_DEV_TOKENS = false;
  /** Dev tokens live an hour. */
  public static final long DEFAULT_DEV_TOKEN_TTL_S = 3_600;
  /** The fastest sweep, whatever the timeouts: below this the sweep itself becomes the load. */
  public static final long MIN_SWEEP_MS = 5;
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
    int port = source.intValue(HTTP_PORT, DEFAULT_HTTP_PORT, -1, 65_535);
    String keysPath = source.raw(JWT_PUBLIC_KEYS);
    List<PublicKeyPem> keys = keysPath == null ? List.of() : PublicKeyFile.load(JWT_PUBLIC_KEYS, keysPath);
    return new GatewayConfig(
        port,
        source.raw(JWT_HS256_SECRET),
        keysPath,
        keys,
        source.raw(JWT_ISSUER),
        source.raw(JWT_AUDIENCE),
        source.longValue(JWT_LEEWAY_MS, DEFAULT_JWT_LEEWAY_MS, 0, 600_000),
        origins(source.raw(ALLOWED_ORIGINS), port),
        source.longValue(HEARTBEAT_MS, DEFAULT_HEARTBEAT_MS, 10, 3_600_000),
        source.longValue(HELLO_TIMEOUT_MS, DEFAULT_HELLO_TIMEOUT_MS, 10, 600_000),
        source.longValue(TOKEN_EXPIRING_MS, DEFAULT_TOKEN_EXPIRING_MS, 0, 86_400_000),
        source.intValue(MAX_FRAME_BYTES, DEFAULT_MAX_FRAME_BYTES, 256, 16 * 1024 * 1024),
        source.raw(ADMIN_TOKEN),
        source.intValue(SHARDS, DEFAULT_SHARDS, 1, 65_536),
        source.intValue(RATE_LIMIT_PER_S, DEFAULT_RATE_LIMIT_PER_S, 1, 1_000_000),
        source.intValue(RATE_LIMIT_BURST, DEFAULT_RATE_LIMIT_BURST, 1, 1_000_000),
        source.longValue(RATE_LIMIT_CLOSE_MS, DEFAULT_RATE_LIMIT_CLOSE_MS, 0, 3_600_000),
        source.longValue(RATE_LIMIT_QUIET_MS, DEFAULT_RATE_LIMIT_QUIET_MS, 1, 3_600_000),
        source.intValue(HTTP_RATE_PER_S, DEFAULT_HTTP_RATE_PER_S, 1, 1_000_000),
        source.intValue(HTTP_RATE_BURST, DEFAULT_HTTP_RATE_BURST, 1, 1_000_000),
        source.intValue(DRAIN_BATCH, DEFAULT_DRAIN_BATCH, 1, 1_000_000),
        source.longValue(DRAIN_INTERVAL_MS, DEFAULT_DRAIN_INTERVAL_MS, 1, 60_000),
        source.longValue(DRAIN_GRACE_MS, DEFAULT_DRAIN_GRACE_MS, 0, 3_600_000),
        source.longValue(BUS_TIMEOUT_MS, DEFAULT_BUS_TIMEOUT_MS, 1, 600_000),
        source.longValue(BUS_RETRY_MS, DEFAULT_BUS_RETRY_MS, 1, 60_000),
        source.longValue(BUS_ATTEMPT_TIMEOUT_MS, DEFAULT_BUS_ATTEMPT_TIMEOUT_MS, 1, 600_000),
        source.longValue(SWEEP_MS, DEFAULT_SWEEP_MS, MIN_SWEEP_MS, 60_000),
        source.bool(DEV_TOKENS, DEFAULT_DEV_TOKENS),
        source.longValue(DEV_TOKEN_TTL_S, DEFAULT_DEV_TOKEN_TTL_S, 1, 31_536_000),
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
        + ", busAttemptMs=" + busAttemptMs
        + ", sweepMs=" + sweepMs + ", devTokens=" + devTokens
        + ", devTokenTtlS=" + devTokenTtlS + ", limits=" + limits + "]";
  }
}
