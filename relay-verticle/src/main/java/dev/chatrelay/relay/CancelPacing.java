package dev.chatrelay.relay;

/**
 * When a JobCancel may go to the worker of a reply job's attempt: at once the first time, again
 * only after a pause, so repeated cancels of one reply do not flood its worker. Event-loop
 * confined, one per {@link ReplyJob}.
 */
final class CancelPacing {

  /** Attempt that was last told to cancel (0: none yet; attempts start at 1), and when. */
  private int toldAttempt;
  private long toldAt;

  /**
   * Notes a JobCancel to attempt {@code attempt} at {@code now}, unless that attempt was told less
   * than {@code resendPauseMs} ago; returns whether to send it.
   */
  boolean note(int attempt, long now, long resendPauseMs) {
    if (toldAttempt == attempt && now - toldAt < resendPauseMs) {
      return false;
    }
    toldAttempt = attempt;
    toldAt = now;
    return true;
  }
}
