package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for a gateway instance: records what the relay sends it, optionally acks deliveries. */
final class FakeGateway {

  /** A test-only message the gateway answers once everything sent to it before was recorded. */
  static final String FLUSH = "test-flush";

  final String id;
  private final Vertx vertx;
  private final int shards;
  private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  private final Map<Long, ThreadKey> autoAck = new ConcurrentHashMap<>();
  private final MessageConsumer<Object> consumer;

  FakeGateway(Vertx vertx, String id, int shards) {
    this.vertx = vertx;
    this.id = id;
    this.shards = shards;
    this.consumer = vertx.eventBus().consumer(Addresses.gateway(id), msg -> {
      JsonObject body = BusBodies.json(msg.body()); // records from the relay, kept as JSON here
      if (FLUSH.equals(body.getString("k"))) {
        msg.reply(new JsonObject());
      } else {
        onMessage(body);
      }
    });
  }

  Future<Void> ready() {
    return consumer.completion();
  }

  /** Acks every delivery to {@code conn} at once (a fast client). */
  void autoAck(long conn, ThreadKey key) {
    autoAck.put(conn, key);
  }

  /** Waits until every message sent to this gateway before the call has been recorded. */
  void flush() {
    vertx.eventBus().request(Addresses.gateway(id), new JsonObject().put("k", FLUSH)).await();
  }

  private void onMessage(JsonObject body) {
    messages.add(body);
    if (Delivery.TAG.equals(body.getString("k"))) {
      Delivery d = Delivery.fromJson(body);
      ThreadKey key = autoAck.get(d.conn());
      if (key != null) {
        vertx.eventBus().send(Addresses.shard(Shards.shardOf(key, shards)),
            new AckCommand(key, id, d.conn(), d.lastSeq()).toJson());
      }
    }
  }

  List<Delivery> deliveries(long conn) {
    return messages.stream().filter(m -> Delivery.TAG.equals(m.getString("k")))
        .map(Delivery::fromJson).filter(d -> d.conn() == conn).toList();
  }

  /** Every frame delivered to {@code conn}, parsed, in arrival order. */
  List<JsonObject> frames(long conn) {
    return deliveries(conn).stream().flatMap(d -> d.frames().stream()).map(JsonObject::new)
        .toList();
  }

  List<Long> seqs(long conn) {
    return frames(conn).stream().map(f -> f.getLong("seq")).toList();
  }

  List<SubscriptionReset> resets() {
    return messages.stream().filter(m -> SubscriptionReset.TAG.equals(m.getString("k")))
        .map(SubscriptionReset::fromJson).toList();
  }

  List<SubscriptionMoved> moves() {
    return messages.stream().filter(m -> SubscriptionMoved.TAG.equals(m.getString("k")))
        .map(SubscriptionMoved::fromJson).toList();
  }

  List<CloseConnection> closes() {
    return messages.stream().filter(m -> CloseConnection.TAG.equals(m.getString("k")))
        .map(CloseConnection::fromJson).toList();
  }
}
