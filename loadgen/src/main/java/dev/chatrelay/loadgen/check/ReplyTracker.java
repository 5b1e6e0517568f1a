package dev.chatrelay.loadgen.check;

import dev.chatrelay.loadgen.client.ServerMessage;
import java.util.ArrayDeque;

/**
 * The reply structure of one thread's stream: every {@code user_message} is answered, in order and
 * one at a time, by {@code typing on}, chunks 0, 1, 2 …, {@code message} (the chunks' text
 * concatenated, unless cancelled), {@code typing off} — or {@code typing on}, {@code error},
 * {@code typing off}. User messages may arrive while an earlier reply streams. After a
 * {@code compacted} run the reply it cut into is checked from the frames that remain.
 * {@code typing off}. User messages may arrive while an earlier reply streams. A {@code restart}
 * voids the reply's chunks so far: chunk indexes count from 0 again and the message must equal
 * the chunks after the last restart.
 */
public final class ReplyTracker {

  /** Where the reply in progress is. */
  private enum Phase { NONE, STARTED, CHUNKS, ENDED }

  private final ArrayDeque<String> awaitingReply = new ArrayDeque<>();
  private final StringBuilder replyText = new StringBuilder();
  private Phase phase = Phase.NONE;
  /** Frames of the reply in progress were compacted: its chunks are not all known. */
  private boolean partial;
  /** A run just passed: the next chunk of the reply may skip indexes. */
  private boolean afterRun;
  /** The chunks' text seen before the run (the message must start with it). */
  private String before = "";
  private String replyTo;
  private long nextChunk;
  private long completed;
  /** The {@code replyTo} of the last completed reply, for closed-loop senders. */
  private String lastCompleted;

  /** Checks one frame, in seq order; returns null when it fits, else what is wrong. */
  public String accept(ServerMessage f) {
    if (f.kind == null) {
      return "frame without kind";
    }
    return switch (f.kind) {
      case "user_message" -> userMessage(f);
      case "typing" -> typing(f);
      case "chunk" -> chunk(f);
      case "message" -> message(f);
      case "error" -> error(f);
      case "restart" -> restart(f);
      default -> "unknown frame kind '" + f.kind + "'";
    };
  }

  /**
   * A compacted run: ended replies' token frames were dropped. A reply whose message was seen
   * is complete (its typing off is in the run); the reply in progress, or the next one, is known
   * only partly until its message. Returns the send id of a reply this completed, or null.
   */
  public String compacted() {
    String done = null;
    if (phase == Phase.ENDED) {
      done = replyTo;
      complete();
    }
    if (!partial) {
      before = phase == Phase.CHUNKS ? replyText.toString() : "";
    }
    replyText.setLength(0);
    partial = true;
    afterRun = true;
    return done;
  }

  /** No reply is queued or streaming. */
  public boolean quiescent() {
    return phase == Phase.NONE && awaitingReply.isEmpty();
  }

  public long completed() {
    return completed;
  }

  public String lastCompleted() {
    return lastCompleted;
  }

  private String userMessage(ServerMessage f) {
    if (f.id == null || f.text == null) {
      return "user_message without id or data.text";
    }
    awaitingReply.addLast(f.id);
    return null;
  }

  private String typing(ServerMessage f) {
    if (f.on == null) {
      return "typing without data.on";
    }
    if (f.on) {
      if (phase != Phase.NONE) {
        return "typing on while the reply to " + replyTo + " is still open";
      }
      String expected = awaitingReply.peekFirst();
      if (expected == null || !expected.equals(f.replyTo)) {
        return "typing on for replyTo " + f.replyTo + ", expected the reply to " + expected;
      }
      phase = Phase.STARTED;
      replyTo = f.replyTo;
      nextChunk = 0;
      replyText.setLength(0);
      return null;
    }
    String wrong = sameReply(f, Phase.ENDED, "typing off");
    if (wrong != null) {
      return wrong;
    }
    complete();
    return null;
  }

  private void complete() {
    awaitingReply.removeFirst();
    lastCompleted = replyTo;
    completed++;
    phase = Phase.NONE;
    replyTo = null;
  }

  /** After a compacted run, a reply's first frame seen may be any of it: start it there. */
  private void startPartly(ServerMessage f) {
    if (partial && phase == Phase.NONE && f.replyTo != null
        && f.replyTo.equals(awaitingReply.peekFirst())) {
      phase = Phase.STARTED;
      replyTo = f.replyTo;
      replyText.setLength(0);
    }
  }

  private String chunk(ServerMessage f) {
    startPartly(f);
    if (afterRun && phase != Phase.NONE && phase != Phase.ENDED && replyTo.equals(f.replyTo)
        && f.index >= nextChunk) {
      nextChunk = f.index; // the chunks before it were compacted
    }
    afterRun = false;
    String wrong = phase == Phase.CHUNKS ? sameReply(f, Phase.CHUNKS, "chunk")
        : sameReply(f, Phase.STARTED, "chunk");
    if (wrong != null) {
      return wrong;
    }
    if (f.index != nextChunk) {
      return "chunk index " + f.index + ", expected " + nextChunk + " in the reply to " + replyTo;
    }
    if (f.text == null) {
      return "chunk without data.text";
    }
    nextChunk++;
    replyText.append(f.text);
    phase = Phase.CHUNKS;
    return null;
  }

  private String message(ServerMessage f) {
    startPartly(f);
    String wrong = phase == Phase.CHUNKS ? sameReply(f, Phase.CHUNKS, "message")
        : sameReply(f, Phase.STARTED, "message");
    if (wrong != null) {
      return wrong;
    }
    if (f.text == null) {
      return "message without data.text";
    }
    if (!f.cancelled && !partial && !f.text.contentEquals(replyText)) {
      return "message text differs from its chunks in the reply to " + replyTo;
    }
    if (partial && !f.cancelled
        && !(f.text.startsWith(before) && f.text.endsWith(replyText.toString()))) {
      return "message text does not fit the chunks seen around a compacted run in the reply to "
          + replyTo;
    }
    partial = false;
    afterRun = false;
    phase = Phase.ENDED;
    return null;
  }

  private String restart(ServerMessage f) {
    startPartly(f);
    String wrong = phase == Phase.CHUNKS ? sameReply(f, Phase.CHUNKS, "restart")
        : sameReply(f, Phase.STARTED, "restart");
    if (wrong != null) {
      return wrong;
    }
    nextChunk = 0;
    replyText.setLength(0);
    phase = Phase.STARTED;
    return null;
  }

  private String error(ServerMessage f) {
    startPartly(f);
    String wrong = phase == Phase.CHUNKS ? sameReply(f, Phase.CHUNKS, "error")
        : sameReply(f, Phase.STARTED, "error");
    if (wrong != null) {
      return wrong;
    }
    if (f.dataCode == null) {
      return "error frame without data.code";
    }
    phase = Phase.ENDED;
    return null;
  }

  private String sameReply(ServerMessage f, Phase required, String what) {
    if (phase != required) {
      return what + " in phase " + phase + " of the reply to " + replyTo;
    }
    if (!replyTo.equals(f.replyTo)) {
      return what + " with replyTo " + f.replyTo + " inside the reply to " + replyTo;
    }
    return null;
  }
}
