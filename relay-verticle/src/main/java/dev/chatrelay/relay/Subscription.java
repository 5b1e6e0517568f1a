package dev.chatrelay.relay;

/**
 * One connection's cursor on one thread: frames up to {@code sent} went to the gateway, frames up
 * to {@code acked} were processed by the client. A {@code compacted} run in flight counts as one
 * frame against the window however many seqs it stands for. Event-loop confined.
 */
final class Subscription {

  final ThreadState thread;
  final String gateway;
  final long conn;
  final long sid;
  long sent;
  long acked;
  /** A journal read for this subscription is in flight; only one at a time. */
  boolean reading;
  /** False once dropped or replaced: late results for it are discarded. */
  boolean active = true;
  /** When the window became full, or -1. */
  long fullSince = -1;
  /** (from, to) of the compacted runs sent and not wholly acked, oldest first. */
  private final java.util.ArrayDeque<long[]> runsInFlight = new java.util.ArrayDeque<>(0);

  Subscription(ThreadState thread, String gateway, long conn, long sid, long after) {
    this.thread = thread;
    this.gateway = gateway;
    this.conn = conn;
    this.sid = sid;
    this.sent = after;
    this.acked = after;
  }

  /** The key of the subscription of connection {@code conn} of {@code gateway} within a thread. */
  static String key(String gateway, long conn) {
    return gateway + '/' + conn;
  }

  String key() {
    return key(gateway, conn);
  }

  /** Messages in flight: seqs sent and not acked, a compacted run counting as one. */
  long outstanding() {
    long n = sent - acked;
    for (long[] run : runsInFlight) {
      n -= run[1] - Math.max(run[0], acked + 1);
    }
    return n;
  }

  /** A compacted run {@code from..to} went out with the last delivery. */
  void sentRun(long from, long to) {
    runsInFlight.addLast(new long[] {from, to});
  }

  /** Cumulative ack up to {@code seq}. */
  void ack(long seq) {
    acked = seq;
    while (!runsInFlight.isEmpty() && runsInFlight.peekFirst()[1] <= acked) {
      runsInFlight.removeFirst();
    }
  }
}
