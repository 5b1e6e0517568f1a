package dev.chatrelay.loadgen.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The cumulative acks of one connection's subscriptions, batched by its {@link AckPolicy}: a
 * thread is acked once a batch of its frames is processed, all of them when the delay after the
 * first unacked frame ends. Confined to the connection's event loop.
 */
final class AckBatcher {

  private final Collection<ViewSubscription> subscriptions;
  private final AckPolicy policy;
  private final Vertx vertx;
  private final Supplier<WebSocket> socket;
  private boolean timerArmed;

  /** @param socket the connection's current socket, or null before it is open */
  AckBatcher(Collection<ViewSubscription> subscriptions, AckPolicy policy, Vertx vertx,
      Supplier<WebSocket> socket) {
    this.subscriptions = subscriptions;
    this.policy = policy;
    this.vertx = vertx;
    this.socket = socket;
  }

  /** One more frame of {@code s} processed: ack when its batch is full, else within the delay. */
  void processed(ViewSubscription s) {
    if (s.processed(policy.batch())) {
      ack(s);
    } else if (!timerArmed) {
      timerArmed = true;
      vertx.setTimer(policy.delayMs(), id -> {
        timerArmed = false;
        flush();
      });
    }
  }

  /** Acks every subscription with processed, unacknowledged frames. */
  void flush() {
    for (ViewSubscription s : subscriptions) {
      if (s.hasUnacked()) {
        ack(s);
      }
    }
  }

  /** Acks {@code s} up to its cursor now, if that passed its last ack and the socket is open. */
  void ack(ViewSubscription s) {
    WebSocket ws = socket.get();
    String ack = s.takeAck(ws != null && !ws.isClosed());
    if (ack != null) {
      ws.writeTextMessage(ack);
    }
  }
}
