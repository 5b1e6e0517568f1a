package dev.chatrelay.relay.journal;

/**
 * Where a thread's journal stands.
 *
 * @param epoch opaque id of this journal incarnation; changes only when the journal was lost
 * @param head newest seq, 0 when never written
 * @param oldest every seq below it is gone (message retention); from it on each seq is retained
 *     or was compacted; 1 until a conversation frame left
 */
public record ThreadInfo(String epoch, long head, long oldest) {

  /** True when every conversation frame after {@code after} is still retained. */
  public boolean retainsAfter(long after) {
    return after + 1 >= oldest;
  }
}
