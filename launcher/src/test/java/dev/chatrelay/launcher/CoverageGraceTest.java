package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoverageGraceTest {

  @Test
  void notReadyBeforeTheFirstFullCoverage() {
    CoverageGrace grace = new CoverageGrace(10_000);
    assertFalse(grace.record(false, 0));
    assertFalse(grace.record(false, 5_000), "no grace before the gateway was ever covered");
    assertTrue(grace.record(true, 6_000));
  }

  @Test
  void aHandoverShorterThanTheGraceKeepsTheGatewayReady() {
    CoverageGrace grace = new CoverageGrace(10_000);
    assertTrue(grace.record(true, 0));
    assertTrue(grace.record(false, 1_000));
    assertTrue(grace.record(false, 10_999), "9.999 s uncovered");
    assertTrue(grace.record(true, 11_000));
    assertTrue(grace.record(false, 12_000), "a new gap starts a new grace");
    assertTrue(grace.record(false, 21_999));
  }

  @Test
  void aGapLongerThanTheGraceTurnsNotReadyUntilCoveredAgain() {
    CoverageGrace grace = new CoverageGrace(10_000);
    assertTrue(grace.record(true, 0));
    assertTrue(grace.record(false, 1_000));
    assertFalse(grace.record(false, 11_000));
    assertFalse(grace.record(false, 60_000));
    assertTrue(grace.record(true, 61_000));
  }

  @Test
  void zeroGraceFollowsEveryCheck() {
    CoverageGrace grace = new CoverageGrace(0);
    assertTrue(grace.record(true, 0));
    assertFalse(grace.record(false, 0));
  }

  @Test
  void aMonotonicClockMayStartBelowZero() {
    CoverageGrace grace = new CoverageGrace(10_000);
    assertTrue(grace.record(true, -50_000));
    assertTrue(grace.record(false, -45_000));
    assertTrue(grace.record(false, -35_001));
    assertFalse(grace.record(false, -35_000));
  }
}
