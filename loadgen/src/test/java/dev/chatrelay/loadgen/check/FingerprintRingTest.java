package dev.chatrelay.loadgen.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FingerprintRingTest {

  @Test
  void keepsTheLastCapacitySeqsAcrossGrowthAndWrap() {
    FingerprintRing ring = new FingerprintRing(100);
    for (long seq = 1; seq <= 250; seq++) {
      ring.put(seq, seq * 31);
    }
    assertFalse(ring.holds(150, 250));
    for (long seq = 151; seq <= 250; seq++) {
      assertTrue(ring.holds(seq, 250));
      assertEquals(seq * 31, ring.get(seq));
    }
  }

  @Test
  void growthKeepsEarlierSeqs() {
    FingerprintRing ring = new FingerprintRing(1000);
    for (long seq = 1; seq <= 70; seq++) {
      ring.put(seq, -seq);
    }
    for (long seq = 1; seq <= 70; seq++) {
      assertEquals(-seq, ring.get(seq));
    }
  }
}
