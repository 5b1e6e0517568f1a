package dev.chatrelay.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UserRateLimitsTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock = now::get;

  @Test
  void eachUserHasABurstThenTheRate() {
    UserRateLimits limits = new UserRateLimits(2, 3, clock);
    for (int i = 0; i < 3; i++) {
      assertTrue(limits.tryTake("alice").allowed());
    }
    UserRateLimits.Decision refused = limits.tryTake("alice");
    assertFalse(refused.allowed());
    assertEquals(1, refused.retryAfterSeconds());
    assertTrue(limits.tryTake("bob").allowed(), "another user's allowance is separate");
    now.addAndGet(500); // 2/s: one token back
    assertTrue(limits.tryTake("alice").allowed());
    assertFalse(limits.tryTake("alice").allowed());
  }

  @Test
  void retryAfterRoundsUpToWholeSecondsAtSlowRates() {
    UserRateLimits limits = new UserRateLimits(0.25, 1, clock);
    assertTrue(limits.tryTake("alice").allowed());
    assertEquals(4, limits.tryTake("alice").retryAfterSeconds());
    now.addAndGet(2_000);
    assertEquals(2, limits.tryTake("alice").retryAfterSeconds());
  }

  @Test
  void idleUsersAreSweptAtTheCapButActiveOnesKeepTheirState() {
    UserRateLimits limits = new UserRateLimits(1, 2, clock, 3);
    limits.tryTake("active");
    limits.tryTake("active");
    limits.tryTake("idle1");
    limits.tryTake("idle2");
    now.addAndGet(1_000); // idle buckets are full again; "active" got one of its two back
    assertTrue(limits.tryTake("newcomer").allowed());
    assertEquals(2, limits.tracked(), "active and newcomer remain");
    assertTrue(limits.tryTake("active").allowed());
    assertFalse(limits.tryTake("active").allowed(), "the active user's limit was not reset");
  }

  @Test
  void aSweepThatFreesNothingIsNotRepeatedAtOnce() {
    UserRateLimits limits = new UserRateLimits(1, 1, clock, 2);
    limits.tryTake("a");
    limits.tryTake("b");
    limits.tryTake("c"); // sweep found a and b active: the map grows past the cap
    assertEquals(3, limits.tracked());
    now.addAndGet(UserRateLimits.SWEEP_PAUSE_MS - 1);
    limits.tryTake("d"); // all full again, but the pause has not passed: no sweep
    assertEquals(4, limits.tracked());
    now.addAndGet(1);
    limits.tryTake("e");
    assertEquals(2, limits.tracked(), "a-c were full again and went; d (1 ms ago) and e stay");
  }
}
