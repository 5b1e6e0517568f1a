package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.relay.RelayConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisJournalOptionsTest {

  @Test
  void noRedisUrlMeansNoRedisJournal() {
    assertTrue(RedisJournalOptions.from(ConfigSource.of(Map.of()), RelayConfig.defaults(),
        Clock.SYSTEM).isEmpty());
  }

  @Test
  void readsTheRedisVariablesAndTakesRetentionAndShardsFromTheRelay() {
    RelayConfig relay = RelayConfig.from(ConfigSource.of(Map.of("RELAY_RETENTION_FRAMES", "50",
        "RELAY_RETENTION_TTL_S", "120", "RELAY_SHARDS", "16")));
    RedisJournalOptions o = RedisJournalOptions.from(ConfigSource.of(Map.of(
        "RELAY_REDIS_URL", "redis://10.0.0.1:6380/2",
        "RELAY_REDIS_KEY_PREFIX", "prod:",
        "RELAY_REDIS_MAX_IN_FLIGHT", "64",
        "RELAY_REDIS_MAX_QUEUED", "1000",
        "RELAY_REDIS_RECONNECT_MS", "20",
        "RELAY_REDIS_RECONNECT_MAX_MS", "300")), relay, Clock.SYSTEM).orElseThrow();
    assertEquals("redis://10.0.0.1:6380/2", o.url());
    assertEquals(50, o.retentionFrames());
    assertEquals(120, o.retentionTtlSeconds());
    assertEquals(16, o.shards());
    assertEquals("prod:", o.keyPrefix());
    assertEquals(64, o.maxInFlight());
    assertEquals(1000, o.maxQueued());
    assertEquals(20, o.reconnectInitialMs());
    assertEquals(300, o.reconnectMaxMs());
  }

  @Test
  void defaultsAreTheNamedOnes() {
    RedisJournalOptions o = RedisJournalOptions.from(
        ConfigSource.of(Map.of("RELAY_REDIS_URL", "redis://127.0.0.1:6379")),
        RelayConfig.defaults(), Clock.SYSTEM).orElseThrow();
    assertEquals(RedisJournalOptions.defaults("redis://127.0.0.1:6379"), o);
    assertEquals("cr:", o.keyPrefix());
    assertEquals(RelayConfig.DEFAULT_RETENTION_FRAMES, o.retentionFrames());
  }

  @Test
  void invalidValuesNameTheirVariable() {
    assertMessageNames("RELAY_REDIS_URL", Map.of("RELAY_REDIS_URL", "http://x"));
    assertMessageNames("RELAY_REDIS_KEY_PREFIX",
        Map.of("RELAY_REDIS_URL", "redis://x", "RELAY_REDIS_KEY_PREFIX", "a{b}"));
    assertMessageNames("RELAY_REDIS_MAX_IN_FLIGHT",
        Map.of("RELAY_REDIS_URL", "redis://x", "RELAY_REDIS_MAX_IN_FLIGHT", "0"));
    assertMessageNames("RELAY_REDIS_RECONNECT_MAX_MS", Map.of("RELAY_REDIS_URL", "redis://x",
        "RELAY_REDIS_RECONNECT_MS", "500", "RELAY_REDIS_RECONNECT_MAX_MS", "100"));
  }

  @Test
  void pendingJobLimitsAreReadAndInvalidOnesNameTheirVariable() {
    RedisJournalOptions o = RedisJournalOptions.from(ConfigSource.of(Map.of(
        "RELAY_REDIS_URL", "redis://x", "RELAY_PENDING_JOB_TTL_S", "60",
        "RELAY_PENDING_JOBS_MAX", "5")), RelayConfig.defaults(), Clock.SYSTEM).orElseThrow();
    assertEquals(new PendingJobLimits(60, 5), o.pendingJobs());
    assertEquals(PendingJobLimits.DEFAULT, RedisJournalOptions.defaults("redis://x").pendingJobs());
    assertMessageNames("RELAY_PENDING_JOBS_MAX",
        Map.of("RELAY_REDIS_URL", "redis://x", "RELAY_PENDING_JOBS_MAX", "0"));
    assertMessageNames("RELAY_PENDING_JOB_TTL_S",
        Map.of("RELAY_REDIS_URL", "redis://x", "RELAY_PENDING_JOB_TTL_S", "soon"));
  }

  @Test
  void logsNeverShowThePassword() {
    assertEquals("redis://***@host:6379/0", RedisPipeline.redacted("redis://user:secret@host:6379/0"));
    assertEquals("redis://host:6379", RedisPipeline.redacted("redis://host:6379"));
    // Unencoded / and @ in a password (a URL the client would misread, still never logged).
    assertEquals("redis://***@host:6379/0", RedisPipeline.redacted("redis://:pa/ss@host:6379/0"));
    assertEquals("rediss://***@host", RedisPipeline.redacted("rediss://u:p@ss/w@host"));
    assertEquals("unix:///run/redis.sock?user=u&password=***",
        RedisPipeline.redacted("unix:///run/redis.sock?user=u&password=secret"));
  }

  @Test
  void anUnencodedSlashOrAtInThePasswordIsRefusedWithoutEchoingIt() {
    for (String url : List.of("redis://:pa/ss@host:6379/0", "redis://:p@ss@host:6379")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> RedisJournalOptions.from(ConfigSource.of(Map.of("RELAY_REDIS_URL", url)),
              RelayConfig.defaults(), Clock.SYSTEM));
      assertTrue(e.getMessage().contains("RELAY_REDIS_URL"), e.getMessage());
      assertTrue(e.getMessage().contains("%2F"), e.getMessage());
      assertFalse(e.getMessage().contains("ss@"), e.getMessage());
    }
  }

  @Test
  void theRecordNeverPrintsThePassword() {
    RedisJournalOptions o = RedisJournalOptions.defaults("redis://:s3cr%2Ft@host:6379/0");
    assertFalse(o.toString().contains("s3cr"), o.toString());
    assertTrue(o.toString().contains("redis://***@host:6379/0"), o.toString());
  }

  @Test
  void tlsTrustIsReadAndAnUnreadableCaIsNamed() {
    RedisJournalOptions o = RedisJournalOptions.from(ConfigSource.of(Map.of(
        "RELAY_REDIS_URL", "rediss://host:6380", "RELAY_REDIS_TLS_VERIFY_HOST", "false")),
        RelayConfig.defaults(), Clock.SYSTEM).orElseThrow();
    assertEquals(new RedisJournalOptions.Tls(null, false), o.tls());
    assertEquals(RedisJournalOptions.Tls.DEFAULT, RedisJournalOptions.defaults("rediss://h").tls());
    assertMessageNames("RELAY_REDIS_TLS_CA", Map.of("RELAY_REDIS_URL", "rediss://host:6380",
        "RELAY_REDIS_TLS_CA", "/nonexistent/ca.crt"));
  }

  private static void assertMessageNames(String variable, Map<String, String> values) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> RedisJournalOptions.from(ConfigSource.of(values), RelayConfig.defaults(),
            Clock.SYSTEM));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }
}
