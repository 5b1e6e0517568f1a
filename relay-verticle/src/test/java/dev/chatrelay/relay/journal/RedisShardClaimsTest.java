package dev.chatrelay.relay.journal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claims guarded by the liveness record, on the test Redis: a claim leaves a shard alone while
 * its holder is spared, takes it once the holder is not, and liveness entries expire on Redis's
 * clock.
 */
class RedisShardClaimsTest {

  private static RedisTestJournals redis;

  @BeforeAll
  static void start() {
    redis = new RedisTestJournals(RedisShardClaimsTest.class);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void aClaimSparesALiveHolderOutsideTheViewAndTakesTheShardOnceItIsNotSpared() {
    RedisJournal sideA = redis.open(redis.options());
    RedisJournal sideB = redis.open(redis.options());
    long first = sideA.claimShard(3, new ClaimGuard("relay-a", Set.of())).await();

    ShardHeldException held = assertThrows(ShardHeldException.class,
        () -> sideB.claimShard(3, new ClaimGuard("relay-b", Set.of("relay-a"))).await());
    assertEquals("relay-a", held.holder());
    assertEquals(3, held.shard());
    // Nothing was written: relay-a's token is still the latest, its writes still pass.
    assertEquals(first + 1,
        sideA.claimShard(3, new ClaimGuard("relay-a", Set.of("relay-b"))).await(),
        "the refused claim took no token");

    long taken = sideB.claimShard(3, new ClaimGuard("relay-b", Set.of("relay-c"))).await();
    assertEquals(first + 2, taken);
    // A plain claim (no claimant) clears the holder: it protects nothing afterwards.
    sideA.claimShard(3).await();
    assertEquals(first + 4,
        sideB.claimShard(3, new ClaimGuard("relay-b", Set.of("relay-a", "relay-b"))).await());
  }

  @Test
  void liveRelaysAreThoseThatWroteWithinTheirTtlAndAGoneRelayLeavesAtOnce() {
    RedisJournal journal = redis.open(redis.options());
    assertEquals(Set.of("r1"), journal.relayLiveness("r1", true, 60_000).await());
    assertEquals(Set.of("r1", "r2"), journal.relayLiveness("r2", true, 60_000).await());
    assertEquals(Set.of("r1", "r2"), journal.relayLiveness("r3", false, 60_000).await(),
        "a relay not alive is not written");
    assertEquals(Set.of("r1", "r2", "r4"), journal.relayLiveness("r4", true, 200).await(),
        "alive within its own call");
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> !journal.relayLiveness("r1", true, 60_000).await().contains("r4"));
    assertEquals(Set.of("r1"), journal.relayLiveness("r2", false, 60_000).await(),
        "a relay that stops removes its entry at once");
  }
}
