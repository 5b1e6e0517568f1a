package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import dev.chatrelay.protocol.logic.StreamCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread's subscription on one connection. Held until its {@code subscribed} answer, and
 * every answer asked together with it, is written: deliveries that arrive earlier wait here, so
 * the client always sees the answers before the frames. Live afterwards, with a cursor that
 * lets only the next seq through. Event-loop bound.
 */
final class ThreadSubscription {

  final String thread;
  /** The subscription's id at the relay; deliveries for any other sid are stale. */
  long sid;
  /** The client's cursor as it asked (null = live only), used once the answer arrives. */
  final Long requestedAfter;
  String epoch;
  private StreamCursor cursor;
  private boolean released;
  /** The shard moved while the subscribe was unanswered: subscribe again once it is answered. */
  boolean movedBeforeAnswer;
  private final List<Delivery> early = new ArrayList<>();
  private SubscriptionReset earlyReset;

  ThreadSubscription(String thread, long sid, String epoch, Long requestedAfter) {
    this.thread = thread;
    this.sid = sid;
    this.epoch = epoch;
    this.requestedAfter = requestedAfter;
  }

  /** Answered and released: frames go straight through the cursor. */
  boolean live() {
    return released;
  }

  /** Answered {@code subscribed} (the cursor is known), released or not. */
  boolean answered() {
    return cursor != null;
  }

  /** From now on frames pass; the caller flushes what was held. */
  void release() {
    released = true;
  }

  StreamCursor cursor() {
    return cursor;
  }

  /**
   * Goes live at the relay's answer: from the cursor the relay starts at when it names one
   * ({@code after: 0} starts before the oldest retained frame), else from the client's cursor, or
   * from head when live only.
   */
  void goLive(String answeredEpoch, long head, Long answeredAfter) {
    epoch = answeredEpoch;
    long start = answeredAfter != null ? answeredAfter : requestedAfter != null ? requestedAfter : head;
    cursor = new StreamCursor(start);
  }

  void holdEarly(Delivery delivery) {
    early.add(delivery);
  }

  void holdEarly(SubscriptionReset reset) {
    earlyReset = reset;
  }

  /** The deliveries that came before the answer, in arrival order; clears them. */
  List<Delivery> takeEarly() {
    List<Delivery> taken = List.copyOf(early);
    early.clear();
    return taken;
  }

  SubscriptionReset takeEarlyReset() {
    SubscriptionReset r = earlyReset;
    earlyReset = null;
    return r;
  }
}
