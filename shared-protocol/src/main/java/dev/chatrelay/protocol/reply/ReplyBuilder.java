package dev.chatrelay.protocol.reply;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the frames of one reply in the order docs/PROTOCOL.md gives ("Frames of a reply"):
 * typing on, chunks 0, 1, 2 …, message, typing off — or an error, or the cancelled ending — with
 * a {@code restart} between wordings. Keeps the frame indexes, the chunk numbering and the text
 * the chunks show. A restart is due when the current wording's chunks are void; it goes out
 * just before the next output, so a cancel in between still ends with the text the chunks show.
 * Not thread-safe: one producer owns it.
 */
public final class ReplyBuilder {

  /** Index of the next frame of the reply. */
  private int nextIndex;
  /** Chunks of the current wording: the next one's {@code data.index}. */
  private int chunks;
  /** Text of the current wording's chunks: what the reply shows now. */
  private final StringBuilder shown = new StringBuilder();
  /** {@code data.attempt} of the next restart frame (the first wording is 1). */
  private int nextGeneration = 2;
  private boolean restartDue;

  /** A reply with no frame written yet. */
  public ReplyBuilder() {}

  /** A reply whose frames below {@code nextIndex} exist but are not known here (the relay's view). */
  public static ReplyBuilder from(int nextIndex) {
    ReplyBuilder b = new ReplyBuilder();
    b.nextIndex = nextIndex;
    return b;
  }

  public int nextIndex() {
    return nextIndex;
  }

  public int chunks() {
    return chunks;
  }

  public boolean restartDue() {
    return restartDue;
  }

  public ReplyFrame typingOn() {
    return ReplyFrame.typing(nextIndex++, true);
  }

  /**
   * Continues after frames already written: from index {@code max(written, fromIndex)} on, after
   * {@code restarts} restarts, with {@code chunksSinceRestart} chunks showing {@code
   * textSinceRestart}. Frames beyond the {@code written} ones may be chunks, so then a restart
   * is due too (unless only the typing-on frame can be there).
   */
  public void continueAfter(int written, int fromIndex, int restarts, int chunksSinceRestart,
      String textSinceRestart) {
    nextIndex = Math.max(written, fromIndex);
    nextGeneration = restarts + 2;
    chunks = chunksSinceRestart;
    shown.setLength(0);
    shown.append(textSinceRestart);
    restartDue = chunks > 0 || (fromIndex > written && fromIndex > 1);
  }

  /** The generation starts over: the chunks so far are void (nothing to void before the first). */
  public void startOver() {
    if (chunks > 0) {
      restartDue = true;
    }
  }

  /** The frames for the next piece of text: a due restart, then the chunk. */
  public List<ReplyFrame> chunk(String text) {
    List<ReplyFrame> out = new ArrayList<>(2);
    restartIfDue(out);
    out.add(ReplyFrame.chunk(nextIndex++, chunks++, text));
    shown.append(text);
    return out;
  }

  /** The frames of a completed reply before typing off: a due restart, then the message. */
  public List<ReplyFrame> message(String finishReason, JsonObject usage) {
    List<ReplyFrame> out = new ArrayList<>(2);
    restartIfDue(out);
    out.add(ReplyFrame.message(nextIndex++, shown.toString(), finishReason, usage));
    return out;
  }

  /** The cancelled message: the text the chunks since the last restart show. */
  public ReplyFrame cancelled() {
    return ReplyFrame.cancelledMessage(nextIndex++, shown.toString());
  }

  public ReplyFrame error(String code, String message) {
    return ReplyFrame.error(nextIndex++, code, message);
  }

  public ReplyFrame typingOff() {
    return ReplyFrame.typing(nextIndex++, false);
  }

  private void restartIfDue(List<ReplyFrame> out) {
    if (restartDue) {
      restartDue = false;
      out.add(ReplyFrame.restart(nextIndex++, nextGeneration++));
      chunks = 0;
      shown.setLength(0);
    }
  }
}
