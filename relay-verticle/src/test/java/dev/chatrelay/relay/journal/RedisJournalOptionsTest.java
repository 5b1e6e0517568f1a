package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.relay.RelayConfig;
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
  void logsNeverShowThePassword() {
    assertEquals("redis://***@host:6379/0", RedisPipeline.redacted("redis://user:secret@host:6379/0"));
    assertEquals("redis://host:6379", RedisPipeline.redacted("redis://host:6379"));
    assertEquals("redis://***@host:6379/0", RedisPipeline.redacted("redis://:pa/ss@w0rd@host:6379/0"));
    assertEquals("rediss://***@h:1", RedisPipeline.redacted("rediss://u:a/b:c@h:1"));
  }

  @Test
  void theOptionsTextHidesThePasswordEvenWithASlash() {
    RedisJournalOptions options = RedisJournalOptions.defaults("redis://:se/cr@et@127.0.0.1:6379/0");
    String text = options.toString();
    assertTrue(text.contains("redis://***@127.0.0.1:6379/0"), text);
    assertTrue(!text.contains("se/cr") && !text.contains("et@127"), text);
  }

  private static void assertMessageNames(String variable, Map<String, String> values) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> RedisJournalOptions.from(ConfigSource.of(values), RelayConfig.defaults(),
            Clock.SYSTEM));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }
}
