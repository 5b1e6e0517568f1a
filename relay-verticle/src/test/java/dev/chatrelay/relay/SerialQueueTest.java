package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialQueueTest {

  @Test
  void tasksRunOneAfterAnotherAndCallersSeeResultsInOrder() {
    SerialQueue queue = new SerialQueue();
    List<String> events = new ArrayList<>();
    Promise<String> first = Promise.promise();
    queue.submit(() -> {
      events.add("start 1");
      return first.future();
    }).onComplete(ar -> events.add("result 1 " + ar.succeeded()));
    queue.submit(() -> {
      events.add("start 2");
      return Future.succeededFuture("two");
    }).onSuccess(v -> events.add("result 2"));
    assertEquals(List.of("start 1"), events);
    assertFalse(queue.idle());
    first.fail("boom");
    assertEquals(List.of("start 1", "result 1 false", "start 2", "result 2"), events);
    assertTrue(queue.idle());
  }

  @Test
  void aThrowingTaskFailsOnlyItself() {
    SerialQueue queue = new SerialQueue();
    Future<String> failed = queue.submit(() -> {
      throw new IllegalStateException("bug");
    });
    Future<String> next = queue.submit(() -> Future.succeededFuture("ok"));
    assertTrue(failed.failed());
    assertEquals("ok", next.result());
  }
}
