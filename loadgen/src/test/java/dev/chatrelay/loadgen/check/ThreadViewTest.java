package dev.chatrelay.loadgen.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.loadgen.client.ServerMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadViewTest {

  private final Violations violations = new Violations();
  private final ThreadView view = new ThreadView("c0", StreamBuilder.THREAD, 1000, violations);

  private void feed(List<ServerMessage> frames) {
    view.onSubscribed(StreamBuilder.subscribed(0), 0);
    frames.forEach(view::onFrame);
  }

  private String firstViolation() {
    return violations.first().isEmpty() ? "" : violations.first().get(0);
  }

  @Test
  void cleanStreamOfSeveralRepliesPasses() {
    List<String> completed = new ArrayList<>();
    view.onReplyCompleted(completed::add);
    feed(new StreamBuilder().reply("a", 3).reply("b", 1).parsed());
    assertEquals(0, violations.count(), violations.first().toString());
    assertEquals(List.of("a", "b"), completed);
    assertEquals(2, view.repliesCompleted());
    assertEquals(12, view.lastSeq());
    assertTrue(view.quiescent());
  }

  @Test
  void userMessagesInterleavedWithAStreamingReplyPass() {
    StreamBuilder s = new StreamBuilder().userMessage("a").typing("a", true).chunk("a", 0, "x")
        .userMessage("b").message("a", "x").typing("a", false)
        .typing("b", true).error("b").typing("b", false);
    feed(s.parsed());
    assertEquals(0, violations.count(), violations.first().toString());
    assertTrue(view.quiescent());
  }

  @Test
  void aRestartStartsTheChunksOver() {
    StreamBuilder s = new StreamBuilder().userMessage("a").typing("a", true).chunk("a", 0, "old")
        .restart("a", 2).chunk("a", 0, "ne").chunk("a", 1, "w").message("a", "new")
        .typing("a", false);
    feed(s.parsed());
    assertEquals(0, violations.count(), violations.first().toString());
    assertTrue(view.quiescent());
  }

  @Test
  void aMessageWithTheWordingBeforeARestartIsAViolation() {
    feed(new StreamBuilder().userMessage("a").typing("a", true).chunk("a", 0, "old")
        .restart("a", 2).chunk("a", 0, "new").message("a", "oldnew").parsed());
    assertTrue(firstViolation().contains("message text differs"), firstViolation());
  }

  @Test
  void aRestartThatSkipsAWordingIsAViolation() {
    feed(new StreamBuilder().userMessage("a").typing("a", true).chunk("a", 0, "old")
        .restart("a", 3).parsed());
    assertTrue(firstViolation().contains("restart attempt 3 after wording 1 in the reply to a"),
        firstViolation());
  }

  @Test
  void gapIsDetected() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    frames.remove(3);
    feed(frames);
    assertTrue(firstViolation().contains("gap: expected seq 4"), firstViolation());
  }

  @Test
  void duplicateIsDetectedAndDropped() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    frames.add(3, frames.get(2));
    feed(frames);
    assertEquals(1, violations.count(), violations.first().toString());
    assertTrue(firstViolation().contains("duplicate seq 3"), firstViolation());
  }

  @Test
  void reorderIsDetected() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    Collections.swap(frames, 2, 3);
    feed(frames);
    assertTrue(violations.first().stream().anyMatch(v -> v.contains("gap")), violations.first().toString());
    assertTrue(violations.first().stream().anyMatch(v -> v.contains("out of order seq 3")), violations.first().toString());
  }

  @Test
  void chunkBeforeTypingOnIsAStructureViolation() {
    feed(new StreamBuilder().userMessage("a").chunk("a", 0, "x").parsed());
    assertTrue(firstViolation().contains("structure at seq 2: chunk in phase NONE"), firstViolation());
  }

  @Test
  void skippedChunkIndexIsAStructureViolation() {
    feed(new StreamBuilder().userMessage("a").typing("a", true).chunk("a", 0, "x").chunk("a", 2, "y").parsed());
    assertTrue(firstViolation().contains("chunk index 2, expected 1"), firstViolation());
  }

  @Test
  void messageTextDifferentFromChunksIsAStructureViolation() {
    feed(new StreamBuilder().userMessage("a").typing("a", true).chunk("a", 0, "x").message("a", "xy").parsed());
    assertTrue(firstViolation().contains("message text differs"), firstViolation());
  }

  @Test
  void repliesOutOfSendOrderAreAStructureViolation() {
    feed(new StreamBuilder().userMessage("a").userMessage("b").typing("b", true).parsed());
    assertTrue(firstViolation().contains("typing on for replyTo b, expected the reply to a"), firstViolation());
  }

  @Test
  void openReplyIsNotQuiescent() {
    feed(new StreamBuilder().userMessage("a").typing("a", true).parsed());
    assertFalse(view.quiescent());
  }

  @Test
  void frameOfAnotherEpochIsAViolation() {
    view.onSubscribed(StreamBuilder.parse("{\"type\":\"subscribed\",\"thread\":\"t1\",\"epoch\":\"other\",\"head\":0}"), 0);
    new StreamBuilder().reply("a", 1).parsed().forEach(view::onFrame);
    assertTrue(firstViolation().contains("frame epoch e1 differs"), firstViolation());
  }

  @Test
  void frameBeforeSubscribedIsAViolation() {
    view.onFrame(new StreamBuilder().reply("a", 1).parsed().get(0));
    assertTrue(firstViolation().contains("frame while not subscribed"), firstViolation());
  }

  @Test
  void acceptedSeqMustMatchTheUserMessage() {
    view.onSubscribed(StreamBuilder.subscribed(0), 0);
    view.onSent("a");
    assertFalse(view.quiescent());
    view.onAccepted(StreamBuilder.parse("{\"type\":\"accepted\",\"id\":\"a\",\"thread\":\"t1\",\"seq\":2}"));
    new StreamBuilder().reply("a", 1).parsed().forEach(view::onFrame);
    assertTrue(firstViolation().contains("accepted with seq 2 but its user_message has seq 1"), firstViolation());
  }

  @Test
  void resumedViewContinuesFromItsCursor() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    view.onSubscribed(StreamBuilder.subscribed(0), 0);
    frames.subList(0, 3).forEach(view::onFrame);
    view.onDisconnected();
    view.onSubscribed(StreamBuilder.subscribed(frames.size()), view.lastSeq());
    frames.subList(3, frames.size()).forEach(view::onFrame);
    assertEquals(0, violations.count(), violations.first().toString());
    assertTrue(view.quiescent());
  }

  @Test
  void historyComparisonPassesForTheSameFrames() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    feed(frames);
    assertEquals(0, view.compareWith(snapshot(frames)));
    assertEquals(0, violations.count(), violations.first().toString());
  }

  @Test
  void historyComparisonCountsFramesNeverReceived() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    feed(frames.subList(0, 4));
    assertEquals(2, view.compareWith(snapshot(frames)));
    assertTrue(firstViolation().contains("history head 6 but this view processed up to 4"), firstViolation());
  }

  @Test
  void historyComparisonDetectsAChangedFrame() {
    List<ServerMessage> frames = new StreamBuilder().reply("a", 2).parsed();
    feed(frames);
    List<ServerMessage> changed = new StreamBuilder().reply("a", 2).parsed();
    changed.get(2).text = "altered";
    assertEquals(1, view.compareWith(snapshot(changed)));
    assertTrue(firstViolation().contains("frame seq 3 differs from the history copy"), firstViolation());
  }

  private static ServerMessage compacted(long from, long to) {
    return StreamBuilder.parse("{\"type\":\"compacted\",\"thread\":\"" + StreamBuilder.THREAD
        + "\",\"epoch\":\"" + StreamBuilder.EPOCH + "\",\"from\":" + from + ",\"to\":" + to + "}");
  }

  /** Replies a (seqs 1-7) and b (8-14), three chunks each. */
  private static List<ServerMessage> twoReplies() {
    return new StreamBuilder().reply("a", 3).reply("b", 3).parsed();
  }

  @Test
  void compactedRunsStandForTheirSeqsAndTheRepliesStillComplete() {
    List<ServerMessage> f = twoReplies();
    List<String> completed = new ArrayList<>();
    view.onReplyCompleted(completed::add);
    feed(f.subList(0, 3)); // user a, typing on, the first chunk: then the client was away
    assertTrue(view.onCompacted(compacted(4, 5)));
    view.onFrame(f.get(5)); // a's message
    assertTrue(view.onCompacted(compacted(7, 7))); // a's typing off
    view.onFrame(f.get(7)); // user b
    assertTrue(view.onCompacted(compacted(9, 12))); // b's typing on and chunks
    view.onFrame(f.get(12));
    view.onFrame(f.get(13));
    assertEquals(0, violations.count(), violations.first().toString());
    assertEquals(List.of("a", "b"), completed);
    assertEquals(14, view.lastSeq());
    assertTrue(view.quiescent());
    // The history holds the remaining frames: its gaps are the runs, nothing is lost.
    List<ServerMessage> kept = List.of(f.get(0), f.get(5), f.get(7), f.get(12), f.get(13));
    long[] seqs = kept.stream().mapToLong(m -> m.seq).toArray();
    long[] fps = kept.stream().mapToLong(FrameFingerprint::of).toArray();
    assertEquals(0, view.compareWith(new HistorySnapshot(StreamBuilder.EPOCH, 14, seqs, fps)));
    assertEquals(0, violations.count(), violations.first().toString());
  }

  @Test
  void aRunBeyondTheCursorIsAGapAndOneAlreadyPassedADuplicate() {
    feed(twoReplies().subList(0, 3));
    assertTrue(view.onCompacted(compacted(5, 6)));
    assertTrue(firstViolation().contains("gap: expected seq 4, got compacted 5..6"), firstViolation());
    assertFalse(view.onCompacted(compacted(2, 6)));
    assertEquals(2, violations.count());
  }

  @Test
  void aMessageThatDoesNotFitTheChunksAroundARunIsAStructureViolation() {
    List<ServerMessage> f = twoReplies();
    feed(f.subList(0, 3)); // chunk "ab"
    view.onCompacted(compacted(4, 5));
    f.get(5).text = "xxabab"; // must start with the "ab" seen before the run
    view.onFrame(f.get(5));
    assertTrue(firstViolation().contains("does not fit the chunks seen around a compacted run"),
        firstViolation());
  }

  private static HistorySnapshot snapshot(List<ServerMessage> frames) {
    long[] seqs = new long[frames.size()];
    long[] fps = new long[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      seqs[i] = frames.get(i).seq;
      fps[i] = FrameFingerprint.of(frames.get(i));
    }
    return new HistorySnapshot(StreamBuilder.EPOCH, frames.size(), seqs, fps);
  }
}
