package dev.chatrelay.protocol.logic;

/**
 * The per-thread position of one subscription on one connection: the last seq delivered to
 * the client and the last seq it acknowledged. Only the frame right after the last delivered
 * one may go out, so a client sees each seq once, in order, with no gap. Not thread-safe.
 */
public final class StreamCursor {

  /** What to do with one offered frame. */
  public enum Verdict {
    /** seq == lastDelivered + 1: deliver it. */
    FORWARD,
    /** seq <= lastDelivered: already delivered, skip it. */
    DUPLICATE,
    /** seq > lastDelivered + 1: frames are missing; re-subscribe from lastDelivered. */
    GAP
  }

  private long lastDelivered;
  private long lastAcked;

  /** A cursor at {@code start}: the client has processed everything up to it. */
  public StreamCursor(long start) {
    this.lastDelivered = start;
    this.lastAcked = start;
  }

  public Verdict offer(long seq) {
    if (seq <= lastDelivered) {
      return Verdict.DUPLICATE;
    }
    if (seq != lastDelivered + 1) {
      return Verdict.GAP;
    }
    lastDelivered = seq;
    return Verdict.FORWARD;
  }

  /**
   * What to do with a {@code compacted} notice for seqs {@code from..to}: FORWARD when it covers
   * the next seq (it may start at or before the last delivered one; the cursor moves to
   * {@code to}), DUPLICATE when it covers nothing new, GAP when it starts beyond the next seq.
   */
  public Verdict offerRun(long from, long to) {
    if (to <= lastDelivered) {
      return Verdict.DUPLICATE;
    }
    if (from > lastDelivered + 1) {
      return Verdict.GAP;
    }
    lastDelivered = to;
    return Verdict.FORWARD;
  }

  /**
   * Records a cumulative ack; true when it moved the acked position (so it is worth passing on).
   * An ack above what was delivered, or not above the last ack, changes nothing.
   */
  public boolean ack(long seq) {
    if (seq > lastDelivered || seq <= lastAcked) {
      return false;
    }
    lastAcked = seq;
    return true;
  }

  public long lastDelivered() {
    return lastDelivered;
  }

  public long lastAcked() {
    return lastAcked;
  }
}
