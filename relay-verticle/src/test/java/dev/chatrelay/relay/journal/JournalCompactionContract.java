package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention keeps the conversation, not the tokens (PROTOCOL.md, Compaction): the cases every
 * {@link Journal} must pass, inherited by {@link JournalContractTest} and so run against both
 * journals. A turn is {@code user_message, typing, chunk x n, message, typing}.
 */
public abstract class JournalCompactionContract {

  private static final AtomicLong UNIQUE = new AtomicLong();

  /** Time the journal stamps on frames; tests move it. */
  protected final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  protected final Clock clock = now::get;
  private final List<Journal> made = new ArrayList<>();

  /** A new, empty journal keeping {@code retentionFrames} newest seqs of token frames and
   * {@code retentionMessages} conversation frames per thread. */
  protected abstract Journal newJournal(int retentionFrames, int retentionMessages, Clock clock);

  @AfterEach
  void closeCompactionJournals() {
    for (Journal j : made) {
      j.close().await();
    }
  }

  private Journal journal(int frames, int messages) {
    Journal j = newJournal(frames, messages, clock);
    made.add(j);
    return j;
  }

  private static ThreadKey key() {
    return new ThreadKey("c-" + System.nanoTime() + "-" + UNIQUE.incrementAndGet(), "t1");
  }

  @Test
  void tokenFramesOfAnEndedReplyBeyondTheNewestFramesAreDropped() {
    Journal j = journal(3, 100);
    ThreadKey key = key();
    turn(j, key, "s1", 4); // seqs 1..8: u1, typing 2, chunks 3-6, message 7, typing 8
    // Token frames up to head - 3 = 5 of the ended reply left; the newest three seqs all stay.
    assertEquals(List.of(1L, 6L, 7L, 8L), seqsOf(j.read(key, 0, 100).await()));
    Retained r = j.readRetained(key, 0, 100).await();
    assertEquals(1, r.oldest(), "nothing the conversation needs is gone");
    ThreadInfo info = j.info(key).await();
    assertEquals(8, info.head());
    assertTrue(info.retainsAfter(0));
    assertEquals("echo", j.read(key, 6, 1).await().get(0).dataString("text"));
  }

  @Test
  void aReplyInProgressIsNeverCompactedAndItsEndReleasesItsTokens() {
    Journal j = journal(2, 100);
    ThreadKey key = key();
    j.append(key, FrameDraft.userMessage("s1", "hi")).await();
    j.append(key, typing("s1", 0, true)).await();
    for (int i = 1; i <= 6; i++) {
      j.append(key, chunk("s1", i)).await();
    }
    assertEquals(seqs(1, 8), seqsOf(j.read(key, 0, 100).await()), "in progress: all kept");
    j.append(key, message("s1", 7)).await(); // seq 9 ends the reply
    assertEquals(List.of(1L, 8L, 9L), seqsOf(j.read(key, 0, 100).await()));
  }

  @Test
  void tokenFramesOfALaterReplyWaitBehindOneInProgressInSeqOrder() {
    Journal j = journal(1, 100);
    ThreadKey key = key();
    j.append(key, FrameDraft.userMessage("a", "first")).await(); // 1
    j.append(key, chunk("a", 1)).await(); // 2: a is in progress
    turn(j, key, "b", 1); // 3..7: b's tokens come after a's, which is still in progress
    assertEquals(seqs(1, 7), seqsOf(j.read(key, 0, 100).await()));
    j.append(key, message("a", 2)).await(); // 8 ends a: a's and b's tokens go, oldest first
    assertEquals(List.of(1L, 3L, 6L, 8L), seqsOf(j.read(key, 0, 100).await()));
  }

  @Test
  void conversationFramesAreKeptByTheirOwnCountAndTakeEverythingBelowWhenTheyLeave() {
    Journal j = journal(2, 3);
    ThreadKey key = key();
    turn(j, key, "s1", 3); // 1..7: user 1, message 6
    turn(j, key, "s2", 3); // 8..14: user 8, message 13
    // Four conversation frames written, three kept: user 1 left, the floor moved past it.
    ThreadInfo info = j.info(key).await();
    assertEquals(14, info.head());
    assertEquals(2, info.oldest());
    assertFalse(info.retainsAfter(0));
    assertTrue(info.retainsAfter(1));
    assertEquals(List.of(6L, 8L, 13L, 14L), seqsOf(j.read(key, 0, 100).await()));
    Retained r = j.readRetained(key, 0, 100).await();
    assertEquals(2, r.oldest());
    // A conversation frame that left forgets its key: the same send is journaled anew.
    assertTrue(j.append(key, FrameDraft.userMessage("s1", "again")).await().created());
    assertFalse(j.append(key, FrameDraft.userMessage("s2", "again")).await().created());
  }

  @Test
  void appendAllCompactsAfterEveryFrameLikeSingleAppends() {
    Journal single = journal(3, 4);
    Journal batch = journal(3, 4);
    ThreadKey a = key();
    ThreadKey b = key();
    for (int t = 1; t <= 3; t++) {
      turn(single, a, "s" + t, 5);
      List<Appended> all = batch.appendAll(b, turnDrafts("s" + t, 5)).await();
      assertEquals(9, all.size());
      assertEquals(single.info(a).await().oldest(), all.get(all.size() - 1).oldest(),
          "the answer names the floor after the batch");
    }
    assertEquals(seqsOf(single.read(a, 0, 1000).await()), seqsOf(batch.read(b, 0, 1000).await()));
    assertEquals(single.info(a).await().oldest(), batch.info(b).await().oldest());
  }

  @Test
  void readsPageAcrossCompactedRunsAndTheLimitCountsFramesReturned() {
    Journal j = journal(2, 100);
    ThreadKey key = key();
    for (int t = 1; t <= 3; t++) {
      turn(j, key, "s" + t, 10); // 14 frames per turn: user at 1, 15, 29; message at 13, 27, 41
    }
    List<Long> all = seqsOf(j.read(key, 0, 1000).await());
    assertEquals(List.of(1L, 13L, 15L, 27L, 29L, 41L, 42L), all);
    assertEquals(List.of(1L, 13L), seqsOf(j.read(key, 0, 2).await()));
    assertEquals(List.of(15L, 27L), seqsOf(j.read(key, 13, 2).await()));
    assertEquals(List.of(27L, 29L, 41L), seqsOf(j.read(key, 20, 3).await()), "after inside a run");
    assertTrue(j.read(key, 42, 10).await().isEmpty());
  }

  @Test
  void aCompactedKeyIsForgottenAndARetainedOneStaysIdempotent() {
    Journal j = journal(2, 100);
    ThreadKey key = key();
    turn(j, key, "s1", 3); // chunk keys a/s1/1..3 at seqs 3..5 are compacted (head 7)
    assertFalse(j.append(key, message("s1", 4)).await().created(), "retained message");
    Appended again = j.append(key, chunk("s1", 1)).await();
    assertTrue(again.created(), "a compacted frame's key is gone with it");
    assertEquals(8, again.frame().seq());
  }

  /** Appends one turn one frame at a time; answers the user message's seq. */
  private static long turn(Journal j, ThreadKey key, String send, int chunks) {
    long first = 0;
    for (FrameDraft d : turnDrafts(send, chunks)) {
      Appended a = j.append(key, d).await();
      first = first == 0 ? a.frame().seq() : first;
    }
    return first;
  }

  private static List<FrameDraft> turnDrafts(String send, int chunks) {
    List<FrameDraft> out = new ArrayList<>();
    out.add(FrameDraft.userMessage(send, "q " + send));
    out.add(typing(send, 0, true));
    for (int i = 1; i <= chunks; i++) {
      out.add(chunk(send, i));
    }
    out.add(message(send, chunks + 1));
    out.add(typing(send, chunks + 2, false));
    return out;
  }

  private static FrameDraft typing(String send, int index, boolean on) {
    return FrameDraft.reply(send, index, FrameKind.TYPING, new JsonObject().put("on", on));
  }

  private static FrameDraft chunk(String send, int index) {
    return FrameDraft.reply(send, index, FrameKind.CHUNK,
        new JsonObject().put("text", "c" + index).put("index", index - 1));
  }

  private static FrameDraft message(String send, int index) {
    return FrameDraft.reply(send, index, FrameKind.MESSAGE, new JsonObject().put("text", "echo"));
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }

  private static List<Long> seqsOf(List<Frame> frames) {
    return frames.stream().map(Frame::seq).toList();
  }
}
