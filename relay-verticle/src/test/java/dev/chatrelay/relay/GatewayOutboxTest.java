package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusCodecs;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryBatch;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deliveries of one event-loop turn leave as one message per gateway (cluster mode), in order,
 * before notices; embedded mode sends each at once.
 */
@ExtendWith(VertxExtension.class)
class GatewayOutboxTest {

  private static Delivery delivery(long conn, long seq) {
    return new Delivery(conn, 1, "t" + conn, seq, seq, List.of("f" + seq));
  }

  private static List<Object> received(Vertx vertx, String gateway) {
    List<Object> bodies = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(Addresses.gateway(gateway), m -> {
      bodies.add(m.body());
      if (m.replyAddress() != null) {
        m.reply(null);
      }
    }).completion().await();
    return bodies;
  }

  @Test
  void oneTurnsDeliveriesLeaveAsOneMessagePerGatewayInOrder(Vertx vertx) {
    BusCodecs.register(vertx.eventBus());
    List<Object> toA = received(vertx, "a");
    List<Object> toB = received(vertx, "b");
    GatewayOutbox outbox = new GatewayOutbox(vertx, true, 256);
    vertx.runOnContext(v -> {
      outbox.deliver("a", delivery(1, 1));
      outbox.deliver("b", delivery(2, 1));
      outbox.deliver("a", delivery(3, 1));
      outbox.deliver("a", delivery(1, 2));
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> toA.size() == 1 && toB.size() == 1);
    DeliveryBatch batch = assertInstanceOf(DeliveryBatch.class, toA.get(0));
    assertEquals(List.of(delivery(1, 1), delivery(3, 1), delivery(1, 2)), batch.deliveries());
    assertEquals(delivery(2, 1), toB.get(0)); // a lone delivery goes as itself
  }

  @Test
  void aFullWindowOfFramesLeavesAtOnce(Vertx vertx) {
    BusCodecs.register(vertx.eventBus());
    List<Object> toA = received(vertx, "a");
    GatewayOutbox outbox = new GatewayOutbox(vertx, true, 2);
    vertx.runOnContext(v -> {
      outbox.deliver("a", delivery(1, 1));
      outbox.deliver("a", delivery(1, 2)); // 2 frames: sent now
      outbox.deliver("a", delivery(1, 3)); // at the end of the turn
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> toA.size() == 2);
    assertEquals(new DeliveryBatch(List.of(delivery(1, 1), delivery(1, 2))), toA.get(0));
    assertEquals(delivery(1, 3), toA.get(1));
  }

  @Test
  void aNoticeToAGatewayFollowsItsPendingDeliveries(Vertx vertx) {
    BusCodecs.register(vertx.eventBus());
    List<Object> toA = received(vertx, "a");
    GatewayOutbox outbox = new GatewayOutbox(vertx, true, 256);
    RelayRuntime rt = new RelayRuntime(vertx, RelayConfig.defaults(), null,
        new RelayMetrics(new SimpleMeterRegistry()), Clock.SYSTEM, outbox);
    SubscriptionReset reset = new SubscriptionReset(1, 1, "t1", "e2", 0, "retention");
    vertx.runOnContext(v -> {
      rt.outbox().deliver("a", delivery(1, 1));
      GatewayNotices.tell(rt, "a", reset);
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> toA.size() == 2);
    assertEquals(delivery(1, 1), toA.get(0));
    assertEquals(reset, toA.get(1));
  }

  @Test
  void aNoticeToAGatewayWhoseConsumerIsNotThereYetIsSentAgainOnceItIs(Vertx vertx) {
    BusCodecs.register(vertx.eventBus());
    RelayRuntime rt = new RelayRuntime(vertx, RelayConfig.defaults(), null,
        new RelayMetrics(new SimpleMeterRegistry()), Clock.SYSTEM,
        new GatewayOutbox(vertx, true, 256));
    SubscriptionReset reset = new SubscriptionReset(1, 1, "t1", "e2", 0, "retention");
    AtomicInteger refused = new AtomicInteger();
    // No consumer at first (a gateway merged back before its registration was republished).
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().address().equals(Addresses.gateway("late"))) {
        refused.incrementAndGet();
      }
      ctx.next();
    });
    vertx.runOnContext(v -> GatewayNotices.tell(rt, "late", reset));
    await().atMost(Duration.ofSeconds(5)).until(() -> refused.get() >= 2);
    List<Object> toLate = received(vertx, "late");
    await().atMost(Duration.ofSeconds(5)).until(() -> toLate.size() == 1);
    assertEquals(reset, toLate.get(0));
  }

  @Test
  void withoutCoalescingEachDeliveryLeavesAtOnce(Vertx vertx) {
    BusCodecs.register(vertx.eventBus());
    List<Object> toA = received(vertx, "a");
    GatewayOutbox outbox = new GatewayOutbox(vertx, false, 256);
    vertx.runOnContext(v -> {
      outbox.deliver("a", delivery(1, 1));
      outbox.deliver("a", delivery(1, 2));
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> toA.size() == 2);
    assertEquals(List.of(delivery(1, 1), delivery(1, 2)), toA);
  }
}
