package dev.chatrelay.protocol.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.logic.TokenExpiryWatch.Action;
import org.junit.jupiter.api.Test;

class TokenExpiryWatchTest {

  private final FakeClock clock = new FakeClock(1_000_000);
  private final TokenExpiryWatch watch = new TokenExpiryWatch(60_000, 5_000, clock);

  @Test
  void warnsLeadBeforeExpOnceThenClosesAfterLeeway() {
    watch.track(1_000 + 120); // exp = 1 120 000 ms
    assertEquals(Action.NONE, watch.poll());
    clock.advance(59_999);
    assertEquals(Action.NONE, watch.poll());
    clock.advance(1);
    assertEquals(Action.WARN, watch.poll());
    assertEquals(Action.NONE, watch.poll(), "once per token");
    clock.advance(60_000 + 5_000);
    assertEquals(Action.NONE, watch.poll(), "exactly exp + leeway has not passed yet");
    clock.advance(1);
    assertEquals(Action.CLOSE, watch.poll());
  }

  @Test
  void warnsAtOnceWhenLessThanTheLeadRemains() {
    watch.track(1_000 + 10);
    assertEquals(Action.WARN, watch.poll());
  }

  @Test
  void aRefreshedTokenIsWarnedAgainAndPushesTheClose() {
    watch.track(1_000 + 10);
    assertEquals(Action.WARN, watch.poll());
    clock.advance(14_000);
    watch.track(1_000 + 14 + 100);
    assertEquals(Action.NONE, watch.poll());
    assertEquals(1_114_000 + 5_000, watch.closeAtMillis());
    assertEquals(1_114_000 - 60_000, watch.warnAtMillis());
    clock.advance(40_000);
    assertEquals(Action.WARN, watch.poll());
  }

  @Test
  void anExpiredTokenClosesWithoutWarning() {
    watch.track(1_000 - 6);
    assertEquals(Action.CLOSE, watch.poll());
    assertEquals(994, watch.exp());
  }
}
