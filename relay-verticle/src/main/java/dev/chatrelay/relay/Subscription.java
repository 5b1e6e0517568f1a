package dev.chatrelay.relay;

import java.util.TreeMap;

/**
 * One connection's cursor on one thread: the pump sends on from {@code sent}; frames up to
 * {@code maxSent} were handed to the bus, up to {@code confirmed} the gateway said it holds, up
 * to {@code acked} the client processed. Frames above both {@code acked} and {@code confirmed}
 * may be lost on the bus: {@link DeliveryWatch} sends them again. A {@code compacted} run in
 * flight counts as one frame against the window however many seqs it stands for, and however
 * often it was sent. Event-loop confined.
 */
final class Subscription {

  final ThreadState thread;
  final String gateway;
  final long conn;
  final long sid;
  long sent;
  long acked;
  /** Highest seq ever handed to the bus for this subscription; a resend lowers {@code sent} only. */
  long maxSent;
  /** Highest seq the gateway confirmed it holds ({@code DeliveryReceipt}). */
  long confirmed;
  /** When frames above {@link #settled()} are due to be sent again, or -1 when none are out. */
  long resendAt = -1;
  /** When the gateway last acked or confirmed something, or frames started to be out. */
  long progressAt;
  /** Resends in a row without progress, for the backoff. */
  int resends;
  /** A journal read for this subscription is in flight; only one at a time. */
  boolean reading;
  /** False once dropped or replaced: late results for it are discarded. */
  boolean active = true;
  /** When the window became full, or -1. */
  long fullSince = -1;
  /** from -> to of the compacted runs handed to the bus and not wholly acked, in seq order. */
  private final TreeMap<Long, Long> runsInFlight = new TreeMap<>();

  Subscription(ThreadState thread, String gateway, long conn, long sid, long after) {
    this.thread = thread;
    this.gateway = gateway;
    this.conn = conn;
    this.sid = sid;
    this.sent = after;
    this.acked = after;
    this.maxSent = after;
    this.confirmed = after;
  }

  /** Frames up to here need no resend: the client acked them or the gateway holds them. */
  long settled() {
    return Math.max(acked, confirmed);
  }

  /** The key of the subscription of connection {@code conn} of {@code gateway} within a thread. */
  static String key(String gateway, long conn) {
    return gateway + '/' + conn;
  }

  String key() {
    return key(gateway, conn);
  }

  /**
   * Messages handed to the bus and not acked, a compacted run counting as one: a resend
   * rewinding {@code sent} neither opens the window nor counts a run twice.
   */
  long outstanding() {
    return itemsUpTo(maxSent);
  }

  /** Messages from {@code acked+1} through {@code seq}, a compacted run counting as one. */
  long itemsUpTo(long seq) {
    long n = seq - acked;
    for (var run : runsInFlight.entrySet()) {
      long from = Math.max(run.getKey(), acked + 1);
      long to = Math.min(run.getValue(), seq);
      if (to > from) {
        n -= to - from;
      }
    }
    return n;
  }

  /**
   * A compacted run {@code from..to} went out (first send or resend): it replaces any run it
   * overlaps (compaction only grows a run), so each seq is discounted once.
   */
  void sentRun(long from, long to) {
    var floor = runsInFlight.floorEntry(from);
    if (floor != null && floor.getValue() >= from) {
      runsInFlight.remove(floor.getKey());
    }
    runsInFlight.subMap(from, true, to, true).clear();
    runsInFlight.put(from, to);
  }

  /** Where the last message handed to the bus starts: the first seq of a run ending at maxSent. */
  long lastItemFrom() {
    var last = runsInFlight.lastEntry();
    return last != null && last.getValue() == maxSent ? Math.max(last.getKey(), acked + 1)
        : maxSent;
  }

  /** Cumulative ack up to {@code seq}; runs wholly acked stop counting. */
  void ack(long seq) {
    acked = seq;
    while (!runsInFlight.isEmpty() && runsInFlight.firstEntry().getValue() <= acked) {
      runsInFlight.pollFirstEntry();
    }
  }
}
