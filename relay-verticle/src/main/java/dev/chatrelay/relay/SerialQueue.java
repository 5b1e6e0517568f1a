package dev.chatrelay.relay;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after another: a task starts when the previous one has completed
 * and its caller has seen the result. Keeps a thread's journal writes and job decisions in the
 * order their commands arrived. Every append goes through here, so it is a plain queue rather
 * than a chain of futures; tasks that complete at once run in a loop, never recursively.
 * Event-loop confined.
 */
final class SerialQueue {

  private final ArrayDeque<Task<?>> waiting = new ArrayDeque<>();
  /** A task was started and has not completed. */
  private boolean running;
  /** {@link #drain} is on the stack: a nested call leaves the next task to it. */
  private boolean draining;
  private int pending;

  <T> Future<T> submit(Supplier<Future<T>> task) {
    pending++;
    Task<T> t = new Task<>(task, Promise.promise());
    waiting.add(t);
    drain();
    return t.result.future();
  }

  /** True when no task is queued or running. */
  boolean idle() {
    return pending == 0;
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (!running && !waiting.isEmpty()) {
        running = true;
        waiting.poll().start();
      }
    } finally {
      draining = false;
    }
  }

  private final class Task<T> {
    final Supplier<Future<T>> body;
    final Promise<T> result;

    Task(Supplier<Future<T>> body, Promise<T> result) {
      this.body = body;
      this.result = result;
    }

    void start() {
      Future<T> outcome;
      try {
        outcome = body.get();
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(this::completed);
    }

    private void completed(AsyncResult<T> ar) {
      pending--;
      try {
        result.handle(ar); // the caller sees the result before the next task starts
      } finally {
        running = false;
        drain();
      }
    }
  }
}
