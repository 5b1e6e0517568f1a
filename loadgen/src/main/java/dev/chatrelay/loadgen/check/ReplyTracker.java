package dev.chatrelay.loadgen.check;

import dev.chatrelay.loadgen.client.ServerMessage;
import dev.chatrelay.protocol.reply.ReplyCheck;
import java.util.ArrayDeque;

/**
 * The reply structure of one thread's stream: every {@code user_message} is answered, in order and
 * one at a time, by a reply whose frames {@link ReplyCheck} checks (typing on, chunks, message,
 * typing off — or an error; restarts between wordings). User messages may arrive while an earlier
 * reply streams. After a {@code compacted} run the reply it cut into is checked from the frames
 * that remain.
 */
public final class ReplyTracker {

  private final ArrayDeque<String> awaitingReply = new ArrayDeque<>();
  /** The reply in progress, null when none is. */
  private ReplyCheck reply;
  private String replyTo;
  /** A run passed while no reply was open: the next one may start anywhere. */
  private boolean runBeforeNext;
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
      case "chunk" -> inReply(f) ? named(reply.chunk(f.index, f.text)) : outside(f, "chunk");
      case "message" -> inReply(f) ? named(reply.message(f.text, f.cancelled)) : outside(f, "message");
      case "error" -> inReply(f) ? named(reply.error(f.dataCode)) : outside(f, "error");
      case "restart" -> inReply(f) ? named(reply.restart(f.attempt)) : outside(f, "restart");
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
    if (reply != null && reply.phase() == ReplyCheck.Phase.ENDED) {
      done = replyTo;
      complete();
    }
    if (reply != null) {
      reply.compacted();
    } else {
      runBeforeNext = true;
    }
    return done;
  }

  /** No reply is queued or streaming. */
  public boolean quiescent() {
    return reply == null && awaitingReply.isEmpty();
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
    if (f.on && reply == null) {
      String expected = awaitingReply.peekFirst();
      if (expected == null || !expected.equals(f.replyTo)) {
        return "typing on for replyTo " + f.replyTo + ", expected the reply to " + expected;
      }
      begin(f.replyTo);
    } else if (reply == null || !replyTo.equals(f.replyTo)) {
      return f.on ? "typing on while the reply to " + replyTo + " is still open"
          : outside(f, "typing off");
    }
    String wrong = reply.typing(f.on);
    if (wrong != null) {
      return named(wrong);
    }
    if (reply.done()) {
      complete();
    }
    return null;
  }

  /** What is wrong, naming the reply; null stays null. */
  private String named(String wrong) {
    return wrong == null ? null : wrong + " in the reply to " + replyTo;
  }

  /**
   * True when {@code f} belongs to the open reply; after a compacted run the next reply's first
   * frame seen may be any of it, and starts it.
   */
  private boolean inReply(ServerMessage f) {
    if (reply == null && runBeforeNext && f.replyTo != null
        && f.replyTo.equals(awaitingReply.peekFirst())) {
      begin(f.replyTo);
      reply.compacted();
    }
    return reply != null && replyTo.equals(f.replyTo);
  }

  private String outside(ServerMessage f, String what) {
    if (reply == null) {
      return what + " in phase NONE of the reply to " + replyTo;
    }
    return what + " with replyTo " + f.replyTo + " inside the reply to " + replyTo;
  }

  private void begin(String sendId) {
    reply = new ReplyCheck();
    replyTo = sendId;
    runBeforeNext = false;
  }

  private void complete() {
    awaitingReply.removeFirst();
    lastCompleted = replyTo;
    completed++;
    reply = null;
    replyTo = null;
  }
}
