package dev.chatrelay.worker;

import dev.chatrelay.worker.engine.Completion;
import dev.chatrelay.worker.engine.EngineError;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of one reply as an attempt produces them: frame indexes, chunk numbering, and the
 * generations of a reply that starts over. A {@code restart} is due when the current
 * generation's chunks are void (the engine restarted, or they were journaled by an earlier
 * attempt of an engine that cannot repeat itself); it goes out just before the next output, so
 * a cancel in between still ends with the text the chunks show. The only writer of its state.
 */
final class ReplyFrames {

  /** Index of the next frame of the reply. */
  private int nextIndex;
  /** Chunks of the current generation: the next one's {@code data.index}. */
  private int chunks;
  /** Text of the current generation's chunks: what the reply shows now. */
  private final StringBuilder shown = new StringBuilder();
  /** {@code data.attempt} of the next restart frame (the first wording is generation 1). */
  private int nextGeneration = 2;
  private boolean restartDue;

  int nextIndex() {
    return nextIndex;
  }

  int chunks() {
    return chunks;
  }

  boolean restartDue() {
    return restartDue;
  }

  ReplyFrame typingOn() {
    return ReplyFrame.typing(nextIndex++, true);
  }

  /**
   * Continues after what is journaled: the frames from index {@code max(count, fromIndex)} on.
   * Frames beyond what the journal read saw may be chunks, so then a restart is due too (unless
   * only the typing-on frame can be there).
   */
  void continueAfter(JournaledReply journaled, int fromIndex) {
    nextIndex = Math.max(journaled.count(), fromIndex);
    nextGeneration = journaled.restarts() + 2;
    chunks = journaled.chunksSinceRestart();
    shown.setLength(0);
    shown.append(journaled.textSinceRestart());
    restartDue = chunks > 0 || (fromIndex > journaled.count() && fromIndex > 1);
  }

  /** The engine starts over: the chunks so far are void (nothing to void before the first). */
  void engineRestarted() {
    if (chunks > 0) {
      restartDue = true;
    }
  }

  /** The frames for the next piece of text: a due restart, then the chunk. */
  List<ReplyFrame> chunk(String text) {
    List<ReplyFrame> out = new ArrayList<>(2);
    startOverIfDue(out);
    out.add(ReplyFrame.chunk(nextIndex++, chunks++, text));
    shown.append(text);
    return out;
  }

  /** The frames of a completed reply before typing off: a due restart, then the message. */
  List<ReplyFrame> message(Completion completion) {
    List<ReplyFrame> out = new ArrayList<>(2);
    startOverIfDue(out);
    out.add(ReplyFrame.message(nextIndex++, shown.toString(), completion));
    return out;
  }

  /** The cancelled ending: the text the chunks since the last restart show. */
  ReplyFrame cancelled() {
    return ReplyFrame.cancelledMessage(nextIndex++, shown.toString());
  }

  ReplyFrame error(EngineError error) {
    return ReplyFrame.error(nextIndex++, error);
  }

  ReplyFrame typingOff() {
    return ReplyFrame.typing(nextIndex++, false);
  }

  private void startOverIfDue(List<ReplyFrame> out) {
    if (restartDue) {
      restartDue = false;
      out.add(ReplyFrame.restart(nextIndex++, nextGeneration++));
      chunks = 0;
      shown.setLength(0);
    }
  }
}
