package dev.chatrelay.gateway;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stand-in for the relay role: consumes every shard address, records what the gateway sent,
 * answers requests with the bus records through replaceable behaviours, and pushes
 * deliveries, resets and closes to a gateway as a relay would.
 */
public final class FakeRelay {

  private final Vertx vertx;
  private final int shards;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  /** Every message received, in arrival order. */
  public final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final AtomicLong seqs = new AtomicLong();

  public volatile Function<SubscribeCommand, Future<SubscribeAnswer>> onSubscribe =
      cmd -> Future.succeededFuture(new SubscribeAnswer(true, "e1", 0, null));
  public volatile Function<SendCommand, Future<SendAccepted>> onSend =
      cmd -> Future.succeededFuture(new SendAccepted(seqs.incrementAndGet()));
  public volatile Function<CancelCommand, Future<Void>> onCancel =
      cmd -> Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, BusFailure.NOT_FOUND, "nothing to cancel"));
  public volatile Function<HistoryQuery, Future<HistoryPage>> onHistory =
      q -> Future.succeededFuture(new HistoryPage(q.key().thread(), "e1", 0, List.of()));

  public FakeRelay(Vertx vertx, int shards) {
    this.vertx = vertx;
    this.shards = shards;
  }

  public FakeRelay start() {
    List<Future<Void>> registered = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      MessageConsumer<Object> c = vertx.eventBus().consumer(Addresses.shard(i), this::handle);
      consumers.add(c);
      registered.add(c.completion());
    }
    Future.all(registered).await();
    return this;
  }

  public void stop() {
    consumers.forEach(c -> c.unregister().await());
    consumers.clear();
  }

  private void handle(Message<Object> message) {
    JsonObject body = BusBodies.json(message.body()); // a record from the gateway, JSON kept for the assertions
    received.add(body);
    switch (body.getString("op")) {
      case SubscribeCommand.TAG -> reply(message, onSubscribe.apply(SubscribeCommand.fromJson(body)).map(SubscribeAnswer::toJson));
      case SendCommand.TAG -> reply(message, onSend.apply(SendCommand.fromJson(body)).map(SendAccepted::toJson));
      case CancelCommand.TAG -> reply(message, onCancel.apply(CancelCommand.fromJson(body)).map(v -> new JsonObject()));
      case HistoryQuery.TAG -> reply(message, onHistory.apply(HistoryQuery.fromJson(body)).map(HistoryPage::toJson));
      default -> { } // unsubscribe, ack: fire and forget
    }
  }

  private static void reply(Message<Object> message, Future<JsonObject> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof ReplyException re) {
        message.fail(re.failureCode(), re.getMessage());
      } else {
        message.fail(BusFailure.INTERNAL, ar.cause().toString());
      }
    });
  }

  /** Messages received with {@code op}, decoded by {@code decoder}. */
  public <T> List<T> commands(String op, Function<JsonObject, T> decoder) {
    return received.stream().filter(j -> op.equals(j.getString("op"))).map(decoder).toList();
  }

  public List<SubscribeCommand> subscribes() {
    return commands(SubscribeCommand.TAG, SubscribeCommand::fromJson);
  }

  /** The latest subscribe for {@code thread}, or null. */
  public SubscribeCommand lastSubscribe(String thread) {
    List<SubscribeCommand> all = subscribes().stream().filter(s -> s.key().thread().equals(thread)).toList();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** Sends frames {@code first..last} of {@code thread} for the subscription {@code sub}. */
  public void deliver(SubscribeCommand sub, long first, long last) {
    List<String> frames = new ArrayList<>();
    for (long seq = first; seq <= last; seq++) {
      frames.add(frame(sub.key().thread(), seq).toWire());
    }
    vertx.eventBus().send(Addresses.gateway(sub.gateway()),
        new Delivery(sub.conn(), sub.sid(), sub.key().thread(), first, last, frames).toJson());
  }

  /**
   * Sends one delivery of {@code thread} items from {@code first}: a positive number n is the
   * frame of seq n, a pair {from, to} (as {@code long[]}) a compacted notice.
   */
  public void deliverItems(SubscribeCommand sub, long first, Object... items) {
    List<String> wire = new ArrayList<>();
    List<Long> runs = new ArrayList<>();
    long last = first - 1;
    String thread = sub.key().thread();
    for (Object item : items) {
      if (item instanceof long[] run) {
        runs.add((long) wire.size());
        runs.add(run[1]);
        wire.add(dev.chatrelay.protocol.wire.ServerMessages.compacted(thread, "e1", run[0], run[1]));
        last = run[1];
      } else {
        long seq = ((Number) item).longValue();
        wire.add(frame(thread, seq).toWire());
        last = seq;
      }
    }
    vertx.eventBus().send(Addresses.gateway(sub.gateway()),
        new Delivery(sub.conn(), sub.sid(), thread, first, last, wire, runs).toJson());
  }

  public void reset(SubscribeCommand sub, long head, String reason) {
    vertx.eventBus().send(Addresses.gateway(sub.gateway()),
        new SubscriptionReset(sub.conn(), sub.sid(), sub.key().thread(), "e2", head, reason).toJson());
  }

  public void close(SubscribeCommand sub, int code, String reason) {
    vertx.eventBus().send(Addresses.gateway(sub.gateway()), new CloseConnection(sub.conn(), code, reason).toJson());
  }

  /** A chunk frame whose id and text name its seq. */
  public static Frame frame(String thread, long seq) {
    return new Frame(thread, "e1", seq, "f" + seq, FrameKind.CHUNK, 1_700_000_000_000L + seq, "m1",
        new JsonObject().put("text", "t" + seq).put("index", seq));
  }

  public static ReplyException failure(int code) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, "fake relay failure " + code);
  }
}
