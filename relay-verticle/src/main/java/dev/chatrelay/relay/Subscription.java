package dev.chatrelay.relay;

/**
 * One connection's cursor on one thread: the pump sends on from {@code sent}; frames up to
 * {@code maxSent} were handed to the bus, up to {@code confirmed} the gateway said it holds, up
 * to {@code acked} the client processed. Frames above both {@code acked} and {@code confirmed}
 * may be lost on the bus: {@link DeliveryWatch} sends them again. Event-loop confined.
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

  /** Frames handed to the bus and not acked: a resend rewinding {@code sent} does not open the window. */
  long outstanding() {
    return maxSent - acked;
  }
}
