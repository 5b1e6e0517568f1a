package dev.chatrelay.worker;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.reply.ReplyFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * What the journal holds of one reply when an attempt starts: its frames from index 0 on
 * (contiguous), how often it restarted, the chunks of its current generation, and whether its
 * ending ({@code message} or {@code error}; then {@code typing off}: ended) is written. A
 * non-repeatable engine replays these frames verbatim (no-ops for the journal, but they move the
 * relay's expected index after a failover) and continues after them.
 */
record JournaledReply(List<ReplyFrame> frames, int restarts, int chunksSinceRestart,
    String textSinceRestart, boolean endingWritten, boolean ended) {

  static final JournaledReply NONE = new JournaledReply(List.of(), 0, 0, "", false, false);

  JournaledReply {
    frames = List.copyOf(frames);
  }

  /** The reply to {@code job} within {@code history} (frames of any kind, oldest first). */
  static JournaledReply of(String job, List<Frame> history) {
    List<Frame> mine = new ArrayList<>();
    for (Frame f : history) {
      if (job.equals(f.replyTo()) && indexOf(job, f) >= 0) {
        mine.add(f);
      }
    }
    mine.sort((a, b) -> Integer.compare(indexOf(job, a), indexOf(job, b)));
    List<ReplyFrame> frames = new ArrayList<>();
    int restarts = 0;
    int chunks = 0;
    StringBuilder text = new StringBuilder();
    boolean endingWritten = false;
    boolean ended = false;
    for (Frame f : mine) {
      int index = indexOf(job, f);
      if (index != frames.size()) {
        break; // a gap (or a duplicate): only the contiguous start can be replayed
      }
      frames.add(new ReplyFrame(index, f.kind(), f.data()));
      switch (f.kind()) {
        case RESTART -> {
          restarts++;
          chunks = 0;
          text.setLength(0);
        }
        case CHUNK -> {
          chunks++;
          text.append(f.data().getString("text", ""));
        }
        case MESSAGE, ERROR -> endingWritten = true;
        case TYPING -> ended |= !f.data().getBoolean("on", true);
        default -> { }
      }
    }
    return new JournaledReply(frames, restarts, chunks, text.toString(), endingWritten, ended);
  }

  /** Frames journaled from index 0 on without a gap. */
  int count() {
    return frames.size();
  }

  /** The frame index in a reply frame id {@code <job>:<index>}, or -1. */
  private static int indexOf(String job, Frame f) {
    String id = f.id();
    if (id.length() <= job.length() + 1 || !id.startsWith(job) || id.charAt(job.length()) != ':') {
      return -1;
    }
    try {
      return Integer.parseInt(id.substring(job.length() + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
