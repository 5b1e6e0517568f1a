package dev.chatrelay.gateway.ws;

import java.util.ArrayDeque;

/**
 * Writes answers in the order of the commands that asked for them, whatever order the relays
 * answer in: a command reserves a slot when it arrives, the answer fills it later, and filled
 * slots run from the head only. This is what keeps {@code hello.resume} answers in entry order.
 * Event-loop bound.
 */
final class AnswerQueue {

  /** A place in line; filled once with the action that writes the answer. */
  static final class Slot {
    private Runnable action;
  }

  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private boolean running;

  Slot reserve() {
    Slot slot = new Slot();
    slots.addLast(slot);
    return slot;
  }

  /** Fills {@code slot} and runs every filled slot at the head of the line. */
  void fill(Slot slot, Runnable action) {
    if (slot.action != null) {
      throw new IllegalStateException("slot filled twice");
    }
    slot.action = action;
    if (running) {
      return; // the loop below, further up the stack, will reach it in order
    }
    running = true;
    try {
      while (!slots.isEmpty() && slots.peekFirst().action != null) {
        slots.pollFirst().action.run();
      }
    } finally {
      running = false;
    }
  }

  /** An answer known at once, still written after the answers ahead of it. */
  void enqueue(Runnable action) {
    fill(reserve(), action);
  }

  /** Pending answers; for tests and logs. */
  int pending() {
    return slots.size();
  }
}
