package dev.chatrelay.protocol.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.logic.RateLimiter.Verdict;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final FakeClock clock = new FakeClock(0);
  /** 10/s, burst 5, close after 1 s of persisting rejections, streak broken by 200 ms of quiet. */
  private final RateLimiter limiter = new RateLimiter(10, 5, 1_000, 200, clock);

  private void drainBurst() {
    for (int i = 0; i < 5; i++) {
      assertEquals(Verdict.ALLOW, limiter.onCommand());
    }
  }

  @Test
  void rejectsOverTheBurstButAllowsAgainAfterRefill() {
    drainBurst();
    assertEquals(Verdict.REJECT, limiter.onCommand());
    clock.advance(100);
    assertEquals(Verdict.ALLOW, limiter.onCommand());
  }

  @Test
  void closesWhenRejectionsPersistForCloseAfter() {
    drainBurst();
    // 100 commands/s against 10/s: most are rejected, one in ten allowed; no gap > 200 ms.
    Verdict last = null;
    for (int t = 0; t <= 1_000; t += 10) {
      last = limiter.onCommand();
      if (last == Verdict.CLOSE) {
        break;
      }
      clock.advance(10);
    }
    assertEquals(Verdict.CLOSE, last);
    assertEquals(1_000, clock.millis(), "closed by the first rejection 1 s into the streak");
  }

  @Test
  void aQuietGapLongerThanQuietMsStartsANewStreak() {
    drainBurst();
    assertEquals(Verdict.REJECT, limiter.onCommand()); // streak starts at 0
    clock.advance(150);
    drainToRejection();                                // rejection at 150, same streak
    clock.advance(900);                                // 1050, the gap of 900 > 200 ends the streak
    drainToRejection();
    clock.advance(150);
    assertEquals(Verdict.ALLOW, limiter.onCommand());
    assertEquals(Verdict.REJECT, limiter.onCommand(), "1200 - 1050 < 1000: still below closeAfter");
  }

  @Test
  void rejectionsSpacedWithinQuietMsKeepTheStreak() {
    drainBurst();
    assertEquals(Verdict.REJECT, limiter.onCommand());
    for (int i = 0; i < 4; i++) {
      clock.advance(200);                   // exactly quietMs: the streak goes on
      drainToRejection();
    }
    clock.advance(200);
    Verdict v;
    do {
      v = limiter.onCommand();
    } while (v == Verdict.ALLOW);
    assertEquals(Verdict.CLOSE, v, "the first rejection 1000 ms into the streak closes");
  }

  private void drainToRejection() {
    Verdict v;
    do {
      v = limiter.onCommand();
    } while (v == Verdict.ALLOW);
    assertEquals(Verdict.REJECT, v);
  }
}
