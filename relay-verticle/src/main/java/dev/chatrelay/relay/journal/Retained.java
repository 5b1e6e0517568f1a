package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import java.util.List;

/**
 * Result of {@link Journal#readRetained}: frames oldest first and, read in the same step, the
 * thread's floor. A seq between two of the frames (or between the cursor and the first) that is
 * at least {@code oldest} was compacted; anything below {@code oldest} is gone.
 *
 * @param oldest every seq below it is gone; head + 1 when nothing is retained
 * @param frames the retained frames read, seq ascending
 */
public record Retained(long oldest, List<Frame> frames) {

  public Retained {
    frames = List.copyOf(frames);
  }
}
