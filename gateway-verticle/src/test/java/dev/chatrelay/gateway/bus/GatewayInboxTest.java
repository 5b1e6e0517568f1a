package dev.chatrelay.gateway.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryBatch;
import dev.chatrelay.protocol.bus.DisconnectUser;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A batch of deliveries reaches the sessions one by one, in order; a bad one skips only itself. */
class GatewayInboxTest {

  /** Records deliveries; a delivery to connection 0 throws, as a broken session might. */
  private static final class Recorder implements GatewayInbox.Sessions {
    final List<Delivery> delivered = new ArrayList<>();

    @Override
    public void deliver(Delivery delivery) {
      if (delivery.conn() == 0) {
        throw new IllegalStateException("broken session");
      }
      delivered.add(delivery);
    }

    @Override
    public void reset(SubscriptionReset reset) {}

    @Override
    public void close(CloseConnection close) {}

    @Override
    public void moved(SubscriptionMoved moved) {}

    @Override
    public void disconnectUser(DisconnectUser disconnect) {}
  }

  private static Delivery delivery(long conn, long seq) {
    return new Delivery(conn, 1, "t", seq, seq, List.of("f" + seq));
  }

  @Test
  void aBatchIsDeliveredInOrderAndABadItemSkipsOnlyItself() throws Exception {
    Recorder sessions = new Recorder();
    GatewayInbox inbox = new GatewayInbox(sessions);
    DeliveryBatch batch = new DeliveryBatch(List.of(delivery(1, 1), delivery(0, 1),
        delivery(2, 5), delivery(1, 2)));
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Void> done = new CompletableFuture<>();
      MessageConsumer<Object> consumer = vertx.eventBus().consumer("inbox", m -> {
        inbox.onDirect(m);
        done.complete(null);
      });
      consumer.completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.eventBus().send("inbox", batch.toJson()); // the JSON form; records take the same path
      done.get(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    assertEquals(List.of(delivery(1, 1), delivery(2, 5), delivery(1, 2)), sessions.delivered);
  }
}
