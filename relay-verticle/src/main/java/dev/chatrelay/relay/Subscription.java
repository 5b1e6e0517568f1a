package dev.chatrelay.relay;

/**
 * One connection's cursor on one thread: frames up to {@code sent} went to the gateway, frames up
 * to {@code acked} were processed by the client. Event-loop confined.
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

  long outstanding() {
    return sent - acked;
  }
}
