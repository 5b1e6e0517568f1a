package dev.chatrelay.protocol.bus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bus that throws from send (as Vert.x 5.0.7 can towards a reset node) never throws here. */
class BusSendsTest {

  private static final Set<String> SENDS = Set.of("send", "publish", "request");

  private final Vertx vertx = Vertx.vertx();
  private final List<Object> received = new CopyOnWriteArrayList<>();
  private volatile boolean throwing;
  /** The real bus, except that its sends throw while {@link #throwing}. */
  private final EventBus bus = (EventBus) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {EventBus.class}, (proxy, method, args) -> {
        if (throwing && SENDS.contains(method.getName())) {
          throw new IllegalStateException("Promise already completed");
        }
        try {
          return method.invoke(vertx.eventBus(), args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

  BusSendsTest() {
    vertx.eventBus().consumer("here", msg -> {
      received.add(msg.body());
      msg.reply("ok");
    }).completion().await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aThrowingSendIsReportedAsNotSent() {
    throwing = true;
    assertFalse(BusSends.send(bus, "here", "a"));
    assertFalse(BusSends.publish(bus, "here", "b"));
    throwing = false;
    assertTrue(BusSends.send(bus, "here", "c"));
    assertTrue(BusSends.publish(bus, "here", "d"));
    await().until(() -> received.size() == 2);
    assertEquals(List.of("c", "d"), received);
  }

  @Test
  void aThrowingRequestFailsRetryably() {
    throwing = true;
    Future<Message<Object>> failed = BusSends.request(bus, "here", "a", new DeliveryOptions());
    assertTrue(failed.failed());
    ReplyException e = assertInstanceOf(ReplyException.class, failed.cause());
    assertEquals(ReplyFailure.NO_HANDLERS, e.failureType());
    assertTrue(BusFailure.retryable(e));
    throwing = false;
    Message<Object> reply = BusSends.<Object>request(bus, "here", "b", new DeliveryOptions()).await();
    assertEquals("ok", reply.body());
    assertEquals(List.of("b"), received);
  }
}
