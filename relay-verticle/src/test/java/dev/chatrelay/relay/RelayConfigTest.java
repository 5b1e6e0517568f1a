package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

  @Test
  void defaultsMatchTheProtocol() {
    RelayConfig c = RelayConfig.from(ConfigSource.of(Map.of()));
    assertEquals(RelayConfig.defaults(), c);
    assertEquals(256, c.ackWindow());
    assertEquals(30_000, c.slowConsumerMs());
    assertEquals(1000, c.retentionFrames());
    assertEquals(1000, c.retentionMessages());
    assertEquals(64, c.shards());
    assertEquals(10_000, c.jobLeaseMs());
  }

  @Test
  void variablesOverrideDefaults() {
    RelayConfig c = RelayConfig.from(ConfigSource.of(Map.of("RELAY_ACK_WINDOW", "8",
        "RELAY_SLOW_CONSUMER_MS", "500", "RELAY_RETENTION_FRAMES", "50", "RELAY_SHARDS", "4",
        "RELAY_JOB_LEASE_MS", "700", "RELAY_JOB_MAX_ATTEMPTS", "2", "RELAY_FRAME_CACHE", "9",
        "RELAY_RETENTION_TTL_S", "60", "RELAY_SWEEP_MS", "15", "RELAY_THREAD_IDLE_MS", "99")));
    assertEquals(new RelayConfig(8, 500, 50, 4, 700, 2_000, 500, 2, 9, 60, 15, 99, 1_000, 500,
        1_000, RelayLimits.defaults(), 1_000, 4_000, RelayConfig.DEFAULT_DISPATCH_WINDOW), c);
    assertEquals(30, RelayConfig.from(ConfigSource.of(Map.of("RELAY_RETENTION_MESSAGES", "30")))
        .retentionMessages());
    assertEquals(250, RelayConfig.from(ConfigSource.of(Map.of("RELAY_SHARD_REACQUIRE_MS", "250")))
        .shardReacquireMs());
  }

  @Test
  void deliveryResendPausesAreReadAndTheMaximumIsNotBelowTheFirst() {
    RelayConfig c = RelayConfig.from(ConfigSource.of(Map.of("RELAY_DELIVERY_RESEND_MS", "300",
        "RELAY_DELIVERY_RESEND_MAX_MS", "900")));
    assertEquals(300, c.deliveryResendMs());
    assertEquals(900, c.deliveryResendMaxMs());
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> RelayConfig.from(ConfigSource.of(Map.of("RELAY_DELIVERY_RESEND_MS", "5000"))));
    assertTrue(e.getMessage().contains("RELAY_DELIVERY_RESEND_MAX_MS"), e.getMessage());
  }

  @Test
  void anInvalidValueNamesItsVariable() {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> RelayConfig.from(ConfigSource.of(Map.of("RELAY_ACK_WINDOW", "0"))));
    assertTrue(e.getMessage().contains("RELAY_ACK_WINDOW"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RelayConfig.from(ConfigSource.of(Map.of("RELAY_JOB_LEASE_MS", "soon"))));
    assertTrue(e.getMessage().contains("RELAY_JOB_LEASE_MS"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RelayConfig.from(ConfigSource.of(Map.of("RELAY_RETENTION_MESSAGES", "0"))));
    assertTrue(e.getMessage().contains("RELAY_RETENTION_MESSAGES"), e.getMessage());
  }

  @Test
  void retryBackoffDoublesUpToTheLease() {
    RelayConfig c = RelayConfig.defaults().withJobs(3_000, 5_000, 500, 6);
    assertEquals(500, c.retryBackoffMs(1));
    assertEquals(1_000, c.retryBackoffMs(2));
    assertEquals(2_000, c.retryBackoffMs(3));
    assertEquals(3_000, c.retryBackoffMs(4));
    assertEquals(3_000, c.retryBackoffMs(40));
  }
}
