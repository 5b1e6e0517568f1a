package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Items of one delivery over a compacted read, and how the window counts a run. */
class PumpBatchTest {

  private static Frame frame(long seq) {
    return new Frame("t1", "e1", seq, "f" + seq, FrameKind.MESSAGE, 1, "s", new JsonObject());
  }

  private static List<Frame> frames(long... seqs) {
    return java.util.Arrays.stream(seqs).mapToObj(PumpBatchTest::frame).toList();
  }

  @Test
  void eachMissingRunBecomesOneNoticeInSeqOrder() {
    PumpBatch b = PumpBatch.of("t1", "e1", 3, frames(3, 7, 8, 12), 10);
    assertEquals(3, b.first);
    assertEquals(12, b.last);
    assertEquals(List.of(1L, 6L, 4L, 11L), b.runs, "(item index, last seq) of each notice");
    assertEquals(6, b.wire.size());
    assertEquals(new JsonObject().put("type", "compacted").put("thread", "t1").put("epoch", "e1")
        .put("from", 4L).put("to", 6L), new JsonObject(b.wire.get(1)));
  }

  @Test
  void aReadThatStartsInsideARunBeginsWithItsRest() {
    PumpBatch b = PumpBatch.of("t1", "e1", 5, frames(9), 10);
    assertEquals(List.of(0L, 8L), b.runs);
    assertEquals(9, b.last);
    assertTrue(b.wire.get(0).contains("\"from\":5"));
  }

  @Test
  void theRoomCountsNoticesAndFramesAlike() {
    PumpBatch b = PumpBatch.of("t1", "e1", 1, frames(1, 5, 9), 3);
    assertEquals(3, b.wire.size(), "frame 1, run 2-4, frame 5");
    assertEquals(5, b.last);
    PumpBatch endsOnARun = PumpBatch.of("t1", "e1", 1, frames(1, 5), 2);
    assertEquals(4, endsOnARun.last, "frame 1 and the run 2-4; frame 5 waits for room");
  }

  @Test
  void aRunInFlightCountsAsOneFrameUntilAnAckReachesItsEnd() {
    Subscription sub = new Subscription(null, "g1", 1, 1, 0);
    sub.sent = 10;
    sub.maxSent = 10;
    sub.sentRun(2, 8); // items: 1, run 2-8, 9, 10
    assertEquals(4, sub.outstanding());
    sub.sentRun(2, 8); // sent again by a resend: still one message
    assertEquals(4, sub.outstanding());
    sub.ack(5); // inside the run: what is left of it is still one message
    assertEquals(3, sub.outstanding());
    sub.ack(8);
    assertEquals(2, sub.outstanding());
    sub.ack(10);
    assertEquals(0, sub.outstanding());
  }

  @Test
  void aRunThatGrewReplacesTheRunsItCovers() {
    Subscription sub = new Subscription(null, "g1", 1, 1, 0);
    sub.maxSent = 12;
    sub.sentRun(2, 4);
    sub.sentRun(6, 8); // items: 1, 2-4, 5, 6-8, 9, 10, 11, 12
    assertEquals(8, sub.outstanding());
    assertEquals(12, sub.lastItemFrom());
    sub.sentRun(2, 12); // compaction joined them: a resend carries one run
    assertEquals(2, sub.outstanding());
    assertEquals(2, sub.lastItemFrom(), "the probe sends the last run whole");
    assertEquals(1, sub.itemsUpTo(1));
  }
}
