package dev.chatrelay.worker.engine;

import java.util.ArrayDeque;

/**
 * The per-worker limit on upstream requests streaming at once: a request beyond it waits, first
 * come first served, until one ends. Confined to the engine's context.
 */
final class UpstreamSlots {

  /** A place taken or waited for; {@link #release()} gives it back or leaves the queue. */
  interface Slot {
    void release();
  }

  private final int limit;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int inUse;

  UpstreamSlots(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    this.limit = limit;
  }

  /** Runs {@code granted} once a slot is free (at once if one is); the slot is the caller's. */
  Slot acquire(Runnable granted) {
    Waiter waiter = new Waiter(granted);
    if (inUse < limit) {
      inUse++;
      waiter.holding = true;
      granted.run();
    } else {
      waiting.add(waiter);
    }
    return waiter;
  }

  int inUse() {
    return inUse;
  }

  int waiting() {
    return waiting.size();
  }

  private void handOver() {
    Waiter next = waiting.poll();
    if (next == null) {
      inUse--;
      return;
    }
    next.holding = true;
    next.granted.run();
  }

  private final class Waiter implements Slot {
    private final Runnable granted;
    private boolean holding;
    private boolean released;

    Waiter(Runnable granted) {
      this.granted = granted;
    }

    @Override
    public void release() {
      if (released) {
        return;
      }
      released = true;
      if (holding) {
        handOver();
      } else {
        waiting.remove(this);
      }
    }
  }
}
