package dev.chatrelay.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after another: a task starts when the previous one has completed
 * and its caller has seen the result. Keeps a thread's journal writes and job decisions in the
 * order their commands arrived. Event-loop confined.
 */
final class SerialQueue {

  private Future<Void> tail = Future.succeededFuture();
  private int pending;

  <T> Future<T> submit(Supplier<Future<T>> task) {
    pending++;
    Promise<T> result = Promise.promise();
    tail = tail.transform(previous -> {
      Future<T> running;
      try {
        running = task.get();
      } catch (RuntimeException e) {
        running = Future.failedFuture(e);
      }
      return running.transform(ar -> {
        pending--;
        result.handle(ar);
        return Future.<Void>succeededFuture();
      });
    });
    return result.future();
  }

  /** True when no task is queued or running. */
  boolean idle() {
    return pending == 0;
  }
}
