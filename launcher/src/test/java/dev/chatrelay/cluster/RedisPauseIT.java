package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.TestSystem;
import dev.chatrelay.it.Tokens;
import dev.chatrelay.relay.journal.OwnRedis;
import dev.chatrelay.relay.journal.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis frozen (SIGSTOP) for 8 s under chatting clients, production lease and timeouts: once it
 * thaws, every reply in progress completes within seconds (retries, not the 10 s lease), with
 * no reconnect, and every client's view equals the journal.
 */
class RedisPauseIT {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPauseIT.class);
  /** The fault itself: how long Redis answers nothing. */
  private static final Duration FREEZE = Duration.ofSeconds(8);
  /** The goal of issue 8: every reply complete this soon after the fault heals. */
  private static final Duration HEAL_GOAL = Duration.ofSeconds(10);

  private OwnRedis redis;
  private TestSystem system;
  private Chatter chatter;

  @AfterEach
  void close() {
    if (chatter != null) {
      chatter.close();
    }
    if (system != null) {
      system.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void repliesCompleteSoonAfterAFrozenRedisThaws() throws Exception {
    redis = OwnRedis.start();
    system = TestSystem.configure()
        .set("RELAY_REDIS_URL", redis.url())
        .set("RELAY_REDIS_KEY_PREFIX", TestRedis.uniquePrefix(RedisPauseIT.class))
        .set("RELAY_SCRIPTED_DELAY_MS", "20")
        .start();
    Tokens tokens = system.tokens();
    List<ChatClient> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      String sub = "frozen" + c;
      clients.add(new ChatClient(system.clientVertx(), sub, tokens.valid(sub),
          List.of(system.port()), 0, List.of("a", "b"), new Pauses()));
    }
    chatter = new Chatter(clients);
    chatter.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> chatter.minRounds() >= 2);

    redis.pause();
    try {
      Thread.sleep(FREEZE.toMillis()); // the fault's duration, not a wait for a condition
    } finally {
      redis.resume();
    }
    long thawed = System.nanoTime();
    List<Integer> atThaw = chatter.roundsEach();
    // Every client finishes the round it was in (its replies were asked for before the thaw).
    await().atMost(Duration.ofSeconds(60)).until(() -> !chatter.violations().isEmpty()
        || allAhead(chatter.roundsEach(), atThaw));
    long healMs = (System.nanoTime() - thawed) / 1_000_000;
    assertEquals(List.of(), chatter.violations());
    chatter.stopAndSettle();
    try (HistoryApi api = new HistoryApi(system.clientVertx(), system.port())) {
      int frames = chatter.verify(api, tokens::valid);
      LOG.info("redis frozen {} ms: replies complete {} ms after the thaw; frames={} "
          + "reconnects={}", FREEZE.toMillis(), healMs, frames, chatter.reconnects());
    }
    assertEquals(0, chatter.reconnects(), "a Redis pause costs no reconnect");
    assertTrue(healMs <= HEAL_GOAL.toMillis(), "heal took " + healMs + " ms");
  }

  private static boolean allAhead(List<Integer> now, List<Integer> before) {
    for (int i = 0; i < now.size(); i++) {
      if (now.get(i) <= before.get(i)) {
        return false;
      }
    }
    return true;
  }
}
