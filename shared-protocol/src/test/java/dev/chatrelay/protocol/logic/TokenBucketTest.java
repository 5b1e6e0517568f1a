package dev.chatrelay.protocol.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void startsFullThenRefillsAtTheRate() {
    FakeClock clock = new FakeClock(1_000);
    TokenBucket bucket = new TokenBucket(50, 100, clock);
    for (int i = 0; i < 100; i++) {
      assertTrue(bucket.tryTake(), "burst token " + i);
    }
    assertFalse(bucket.tryTake());
    clock.advance(19);
    assertFalse(bucket.tryTake(), "0.95 tokens after 19 ms at 50/s");
    clock.advance(1);
    assertTrue(bucket.tryTake(), "one token after 20 ms");
    assertFalse(bucket.tryTake());
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    FakeClock clock = new FakeClock(0);
    TokenBucket bucket = new TokenBucket(50, 100, clock);
    clock.advance(3_600_000);
    assertEquals(100.0, bucket.available());
  }

  @Test
  void aClockSteppingBackRefillsNothing() {
    FakeClock clock = new FakeClock(10_000);
    TokenBucket bucket = new TokenBucket(1, 1, clock);
    assertTrue(bucket.tryTake());
    clock.advance(-5_000);
    assertFalse(bucket.tryTake());
    clock.advance(5_999);
    assertFalse(bucket.tryTake(), "the mark stayed at 10 000");
    clock.advance(1);
    assertTrue(bucket.tryTake());
  }

  @Test
  void rejectsNonsenseParameters() {
    FakeClock clock = new FakeClock(0);
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, clock));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, clock));
  }

  /** Over a random schedule (seeded per repetition), allowed <= burst + rate * elapsed. */
  @RepeatedTest(100)
  void allowsAtMostBurstPlusRateTimesElapsed(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    int rate = 1 + random.nextInt(200);
    int burst = 1 + random.nextInt(50);
    FakeClock clock = new FakeClock(0);
    TokenBucket bucket = new TokenBucket(rate, burst, clock);
    long allowed = 0;
    for (int i = random.nextInt(400); i > 0; i--) {
      clock.advance(random.nextInt(51));
      if (bucket.tryTake()) {
        allowed++;
      }
    }
    assertTrue(allowed <= burst + rate * clock.millis() / 1000.0 + 1e-9);
  }
}
