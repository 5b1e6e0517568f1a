package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.DeliveryBatch;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Stands in for a gateway instance: records what the relay sends it, optionally acks deliveries. */
final class FakeGateway {

  /** A test-only message the gateway answers once everything sent to it before was recorded. */
  static final String FLUSH = "test-flush";

  final String id;
  private final Vertx vertx;
  private final int shards;
  private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  private final Map<Long, ThreadKey> autoAck = new ConcurrentHashMap<>();
  /** This many of the next notices (requests: reset, close, moved) are lost: no record, no answer. */
  final AtomicInteger loseNotices = new AtomicInteger();
  final AtomicInteger lostNotices = new AtomicInteger();
  /** Deliveries this picks are lost on the way: neither recorded nor acked. */
  volatile Predicate<Delivery> lose = d -> false;
  final AtomicInteger lost = new AtomicInteger();
  /** Connections that answer duplicates with a receipt as the real gateway does. */
  private final Map<Long, Receipts> receipts = new ConcurrentHashMap<>();

  /** What the real gateway knows of one subscription: last seq delivered and acked. */
  private static final class Receipts {
    final ThreadKey key;
    final boolean acks;
    volatile long delivered;
    volatile long acked;
    /** What the client was shown: the next seq only, as the gateway's cursor lets through. */
    final List<Long> shown = new CopyOnWriteArrayList<>();

    Receipts(ThreadKey key, long after, boolean acks) {
      this.key = key;
      this.delivered = after;
      this.acked = after;
      this.acks = acks;
    }
  }
  private final MessageConsumer<Object> consumer;

  FakeGateway(Vertx vertx, String id, int shards) {
    this.vertx = vertx;
    this.id = id;
    this.shards = shards;
    this.consumer = vertx.eventBus().consumer(Addresses.gateway(id), msg -> {
      JsonObject body = BusBodies.json(msg.body()); // records from the relay, kept as JSON here
      if (FLUSH.equals(body.getString("k"))) {
        msg.reply(new JsonObject());
      } else if (msg.replyAddress() != null
          && loseNotices.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        lostNotices.incrementAndGet();
      } else if (DeliveryBatch.TAG.equals(body.getString("k"))) {
        // One message for the turn's deliveries: each recorded as the real gateway handles it.
        DeliveryBatch.fromJson(body).deliveries().forEach(d -> onMessage(d.toJson()));
      } else {
        onMessage(body);
        if (msg.replyAddress() != null) {
          msg.reply(null); // a notice sent until answered, as the real gateway answers it
        }
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

  /**
   * Connection {@code conn} (subscribed on {@code key} from {@code after}) answers a delivery
   * that brings frames it already had with a {@link DeliveryReceipt}, as the real gateway does;
   * {@link #clientAcked} sets the ack the receipt repeats.
   */
  void receipts(long conn, ThreadKey key, long after) {
    receipts.put(conn, new Receipts(key, after, false));
  }

  /** As {@link #receipts}, and the client acks each frame it is shown at once. */
  void receiptsAndAcks(long conn, ThreadKey key, long after) {
    receipts.put(conn, new Receipts(key, after, true));
  }

  /** The seqs the client of {@code conn} was shown (see {@link #receipts}). */
  List<Long> shown(long conn) {
    return List.copyOf(receipts.get(conn).shown);
  }

  /** The client of {@code conn} processed up to {@code seq} (its ack itself is not sent). */
  void clientAcked(long conn, long seq) {
    receipts.get(conn).acked = seq;
  }

  /** Waits until every message sent to this gateway before the call has been recorded. */
  void flush() {
    vertx.eventBus().request(Addresses.gateway(id), new JsonObject().put("k", FLUSH)).await();
  }

  private void onMessage(JsonObject body) {
    if (Delivery.TAG.equals(body.getString("k")) && lose.test(Delivery.fromJson(body))) {
      lost.incrementAndGet();
      return;
    }
    messages.add(body);
    if (Delivery.TAG.equals(body.getString("k"))) {
      Delivery d = Delivery.fromJson(body);
      Receipts r = receipts.get(d.conn());
      if (r != null) {
        String shard = Addresses.shard(Shards.shardOf(r.key, shards));
        boolean duplicates = d.firstSeq() <= r.delivered;
        for (long seq = d.firstSeq(); seq <= d.lastSeq(); seq++) {
          if (seq == r.delivered + 1) { // a gap stops here; the resend fills it
            r.delivered = seq;
            r.shown.add(seq);
          }
        }
        if (r.acks && r.delivered > r.acked) {
          r.acked = r.delivered;
          vertx.eventBus().send(shard, new AckCommand(r.key, id, d.conn(), r.acked).toJson());
        }
        if (duplicates) {
          vertx.eventBus().send(shard,
              new DeliveryReceipt(r.key, id, d.conn(), d.sid(), r.delivered, r.acked).toJson());
        }
      }
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
