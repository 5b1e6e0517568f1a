package dev.chatrelay.gateway.bus;

import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryBatch;
import dev.chatrelay.protocol.bus.DisconnectUser;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes what relays send to one gateway instance ({@code gateway.<id>}, one consumer for all
 * its connections) and what operators publish to all ({@code gateway.broadcast}), and hands it
 * to the sessions.
 */
public final class GatewayInbox {

  /** What the sessions of an instance do with relay messages. */
  public interface Sessions {
    void deliver(Delivery delivery);

    void reset(SubscriptionReset reset);

    void close(CloseConnection close);

    void moved(SubscriptionMoved moved);

    void disconnectUser(DisconnectUser disconnect);
  }

  private static final Logger log = LoggerFactory.getLogger(GatewayInbox.class);

  private final Sessions sessions;

  public GatewayInbox(Sessions sessions) {
    this.sessions = sessions;
  }

  /** Consumer of {@code gateway.<id>}: {@code k} = frames, deliveries, reset, close or moved. */
  public void onDirect(Message<Object> message) {
    Object body = message.body();
    try {
      // Records within one JVM (the most frequent, a delivery, first), JSON from elsewhere.
      if (body instanceof Delivery d) {
        sessions.deliver(d);
      } else if (body instanceof DeliveryBatch batch) {
        deliverEach(batch);
      } else if (body instanceof SubscriptionReset r) {
        sessions.reset(r);
      } else if (body instanceof CloseConnection c) {
        sessions.close(c);
      } else if (body instanceof SubscriptionMoved m) {
        sessions.moved(m);
      } else if (body instanceof JsonObject json) {
        onJson(json);
      } else {
        log.warn("event=inbox.unreadable address={}", message.address());
      }
    } catch (RuntimeException e) {
      log.error("event=inbox.bad_message body={} error={}", describe(body), e.toString());
    }
    confirm(message);
  }

  /**
   * Answers a notice the relay sent as a request (reset, close, moved): handled, so the relay
   * stops sending it again. Deliveries come without a reply address and are confirmed otherwise.
   */
  private static void confirm(Message<Object> message) {
    if (message.replyAddress() != null) {
      message.reply(null);
    }
  }

  /** In order; one bad delivery does not stop the others (each names its own connection). */
  private void deliverEach(DeliveryBatch batch) {
    for (Delivery d : batch.deliveries()) {
      try {
        sessions.deliver(d);
      } catch (RuntimeException e) {
        log.error("event=inbox.bad_delivery conn={} thread={} error={}", d.conn(), d.thread(),
            e.toString());
      }
    }
  }

  /** A relay message in its JSON form, told apart by {@code k}. */
  private void onJson(JsonObject body) {
    String kind = body.getString("k", "");
    switch (kind) {
      case Delivery.TAG -> sessions.deliver(Delivery.fromJson(body));
      case DeliveryBatch.TAG -> deliverEach(DeliveryBatch.fromJson(body));
      case SubscriptionReset.TAG -> sessions.reset(SubscriptionReset.fromJson(body));
      case CloseConnection.TAG -> sessions.close(CloseConnection.fromJson(body));
      case SubscriptionMoved.TAG -> sessions.moved(SubscriptionMoved.fromJson(body));
      default -> log.warn("event=inbox.unknown_kind k={}", kind);
    }
  }

  /** Consumer of {@code gateway.broadcast}: {@code k} = disconnect. */
  public void onBroadcast(Message<Object> message) {
    Object body = message.body();
    if (body instanceof DisconnectUser d) {
      sessions.disconnectUser(d);
    } else if (body instanceof JsonObject json && DisconnectUser.TAG.equals(json.getString("k"))) {
      sessions.disconnectUser(DisconnectUser.fromJson(json));
    } else {
      log.warn("event=broadcast.unknown body={}", body);
    }
  }

  private static String describe(Object body) {
    if (body instanceof JsonObject json) {
      return "k=" + json.getString("k");
    }
    return body == null ? "null" : body.getClass().getSimpleName();
  }
}
