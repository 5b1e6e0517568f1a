package dev.chatrelay.protocol.reply;

import dev.chatrelay.protocol.FrameKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one reply (docs/PROTOCOL.md, "Frames of a reply"), in one place: the order of
 * its kinds, whole replies as a producer writes them ({@link ReplyBuilder} for the streaming
 * case), the endings the relay writes itself, and the checker every consumer uses
 * ({@link ReplyCheck}). The JS checkers use its twin, k6/lib/reply-shape.js: change both, and
 * the cases ReplyShapeJsDriftTest shares with it.
 */
public final class ReplyShape {

  /** The kinds of a completed reply in order; {@code restart} may stand before any chunk or the message. */
  public static final List<FrameKind> ORDER =
      List.of(FrameKind.TYPING, FrameKind.CHUNK, FrameKind.MESSAGE, FrameKind.TYPING);

  /** {@code data.code} of the error the relay writes when no worker took the job. */
  public static final String WORKER_UNAVAILABLE = "worker_unavailable";
  /** {@code data.message} of that error. */
  public static final String WORKER_UNAVAILABLE_MESSAGE =
      "no assistant worker could answer; please try again";

  private ReplyShape() {}

  /** A whole completed reply streamed as {@code chunks}: typing on, the chunks, message, typing off. */
  public static List<ReplyFrame> completed(List<String> chunks) {
    ReplyBuilder b = new ReplyBuilder();
    List<ReplyFrame> out = new ArrayList<>();
    out.add(b.typingOn());
    chunks.forEach(c -> out.addAll(b.chunk(c)));
    out.addAll(b.message(null, null));
    out.add(b.typingOff());
    return out;
  }

  /**
   * A reply cancelled while no worker runs it, from frame {@code nextIndex} on: typing on (when
   * nothing was written yet), a cancelled message with no text, typing off.
   */
  public static List<ReplyFrame> cancelledEnding(int nextIndex) {
    ReplyBuilder b = ReplyBuilder.from(nextIndex);
    List<ReplyFrame> out = new ArrayList<>(3);
    if (nextIndex == 0) {
      out.add(b.typingOn());
    }
    out.add(b.cancelled());
    out.add(b.typingOff());
    return out;
  }

  /** A reply that failed with {@code code}, from frame {@code nextIndex} on: [typing on,] error, typing off. */
  public static List<ReplyFrame> errorEnding(int nextIndex, String code, String message) {
    ReplyBuilder b = ReplyBuilder.from(nextIndex);
    List<ReplyFrame> out = new ArrayList<>(3);
    if (nextIndex == 0) {
      out.add(b.typingOn());
    }
    out.add(b.error(code, message));
    out.add(b.typingOff());
    return out;
  }

  /** The relay's ending for a job no worker took: error {@code worker_unavailable}. */
  public static List<ReplyFrame> workerUnavailable(int nextIndex) {
    return errorEnding(nextIndex, WORKER_UNAVAILABLE, WORKER_UNAVAILABLE_MESSAGE);
  }
}
