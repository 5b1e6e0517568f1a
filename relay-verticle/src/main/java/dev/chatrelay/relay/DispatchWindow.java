package dev.chatrelay.relay;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The replies this relay is starting: dispatched to a worker and no append journaled yet. At most
 * {@code RELAY_DISPATCH_WINDOW} at once; a thread whose next reply finds the window full waits
 * in line (send order across threads) and starts when a slot frees. A reply leaves the window
 * when its first append is journaled (from then on the model's own pace sets its cost), when it
 * ends, or when its thread leaves memory. Starting a reply only when the box can carry its frames keeps the
 * queueing before the journal stamps them, not between the journal and the screen.
 * Event-loop confined.
 */
final class DispatchWindow {

  private final int size;
  private final Set<ReplyJob> starting = Collections.newSetFromMap(new IdentityHashMap<>());
  private final ArrayDeque<ThreadState> waiting = new ArrayDeque<>();
  private final Set<ThreadState> inLine = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The thread at the head of the line being started now: it may take the free slot. */
  private ThreadState admitting;

  DispatchWindow(int size) {
    this.size = size;
  }

  /**
   * Takes a slot for {@code job} and returns true, or puts {@code t} in line (once) and returns
   * false. A job that holds a slot already (a retry) keeps it.
   */
  boolean enter(ThreadState t, ReplyJob job) {
    if (starting.contains(job)) {
      return true;
    }
    if (starting.size() < size && (waiting.isEmpty() || t == admitting)) {
      starting.add(job);
      return true;
    }
    if (inLine.add(t)) {
      waiting.add(t);
    }
    return false;
  }

  /**
   * Frees {@code job}'s slot, if it holds one, and hands each freed slot to the next thread in
   * line through {@code start}, which calls {@link #enter} again.
   */
  void leave(ReplyJob job, Consumer<ThreadState> start) {
    if (job != null && starting.remove(job)) {
      admit(start);
    }
  }

  /** Starts threads in line while slots are free. */
  private void admit(Consumer<ThreadState> start) {
    while (starting.size() < size && !waiting.isEmpty()) {
      ThreadState next = waiting.poll();
      inLine.remove(next);
      admitting = next;
      try {
        start.accept(next); // may take the slot, or find nothing left to start
      } finally {
        admitting = null;
      }
    }
  }

  /** Replies holding a slot now. */
  int starting() {
    return starting.size();
  }

  /** Threads waiting for a slot now. */
  int waiting() {
    return waiting.size();
  }
}
