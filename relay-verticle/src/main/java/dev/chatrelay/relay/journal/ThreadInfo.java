package dev.chatrelay.relay.journal;

/**
 * Where a thread's journal stands.
 *
 * @param epoch opaque id of this journal incarnation; changes only when the journal was lost
 * @param head newest seq, 0 when never written
 * @param oldest seq of the oldest retained frame, head + 1 when none is retained
 */
public record ThreadInfo(String epoch, long head, long oldest) {

  /** True when every frame after {@code after} is still retained. */
  public boolean retainsAfter(long after) {
    return after + 1 >= oldest;
  }
}
