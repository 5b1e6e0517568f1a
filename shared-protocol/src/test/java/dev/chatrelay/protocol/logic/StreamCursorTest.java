package dev.chatrelay.protocol.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.logic.StreamCursor.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class StreamCursorTest {

  @Test
  void forwardsOnlyTheNextSeq() {
    StreamCursor cursor = new StreamCursor(5);
    assertEquals(Verdict.DUPLICATE, cursor.offer(5));
    assertEquals(Verdict.GAP, cursor.offer(7));
    assertEquals(5, cursor.lastDelivered(), "a gap moves nothing");
    assertEquals(Verdict.FORWARD, cursor.offer(6));
    assertEquals(Verdict.FORWARD, cursor.offer(7));
    assertEquals(Verdict.DUPLICATE, cursor.offer(6));
    assertEquals(7, cursor.lastDelivered());
  }

  @Test
  void acksAreCumulativeAndBoundedByDelivery() {
    StreamCursor cursor = new StreamCursor(2);
    assertFalse(cursor.ack(3), "above what was delivered");
    assertFalse(cursor.ack(2), "not above the start");
    cursor.offer(3);
    cursor.offer(4);
    assertTrue(cursor.ack(3));
    assertFalse(cursor.ack(3));
    assertFalse(cursor.ack(1));
    assertTrue(cursor.ack(4));
    assertEquals(4, cursor.lastAcked());
  }

  /** Whatever arrives (random offers, seeded per repetition), what is forwarded is start+1, start+2, ... */
  @RepeatedTest(100)
  void forwardsAStrictlyConsecutiveRun(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    StreamCursor cursor = new StreamCursor(10);
    List<Long> forwarded = new ArrayList<>();
    for (int i = random.nextInt(200); i > 0; i--) {
      long seq = random.nextInt(61);
      if (cursor.offer(seq) == Verdict.FORWARD) {
        forwarded.add(seq);
      }
    }
    for (int i = 0; i < forwarded.size(); i++) {
      assertEquals(11L + i, forwarded.get(i));
    }
  }

  @Test
  void aCompactedRunCountsForItsSeqsAndMayBeAckedAtItsEnd() {
    StreamCursor cursor = new StreamCursor(3);
    assertEquals(Verdict.FORWARD, cursor.offerRun(4, 9));
    assertEquals(9, cursor.lastDelivered());
    assertEquals(Verdict.DUPLICATE, cursor.offer(7));
    assertEquals(Verdict.DUPLICATE, cursor.offerRun(5, 9));
    assertEquals(Verdict.FORWARD, cursor.offerRun(8, 12), "overlapping: moves to its end");
    assertEquals(12, cursor.lastDelivered());
    assertEquals(Verdict.GAP, cursor.offerRun(14, 20));
    assertEquals(Verdict.FORWARD, cursor.offer(13));
    assertTrue(cursor.ack(9));
    assertEquals(9, cursor.lastAcked());
  }
}
