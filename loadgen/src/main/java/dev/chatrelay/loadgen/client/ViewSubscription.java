package dev.chatrelay.loadgen.client;

import dev.chatrelay.loadgen.check.ThreadView;

/** One thread view carried by a connection, with its cumulative ack state. */
final class ViewSubscription {

  final ThreadView view;
  /** The cursor the subscription (or resume entry) started from. */
  final long after;
  private long acked;
  private int unacked;

  ViewSubscription(ThreadView view) {
    this.view = view;
    this.after = view.lastSeq();
    this.acked = after;
  }

  /** One more frame processed; true once {@code batch} wait for an ack. */
  boolean processed(int batch) {
    return ++unacked >= batch;
  }

  boolean hasUnacked() {
    return unacked > 0;
  }

  /**
   * Ends the batch: the ack to send, or null when the cursor did not pass the last ack or
   * nothing can be sent ({@code canSend} false: the ack is not counted as sent).
   */
  String takeAck(boolean canSend) {
    unacked = 0;
    long seq = view.lastSeq();
    if (seq > acked && canSend) {
      acked = seq;
      return ClientMessages.ack(view.thread(), seq);
    }
    return null;
  }
}
