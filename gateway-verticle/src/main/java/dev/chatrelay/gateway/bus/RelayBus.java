package dev.chatrelay.gateway.bus;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.IntFunction;

/**
 * The gateway's side of the event-bus contract with the relays: each command goes to the
 * shard of its thread. Requests retry failures that {@link BusFailure#retryable} calls
 * transient (no consumer yet, shard moving, no answer) with doubling pauses until
 * {@code RELAY_BUS_TIMEOUT_MS} has passed, then fail with the last failure. One attempt waits
 * at most {@code RELAY_BUS_ATTEMPT_TIMEOUT_MS}: a request written to a relay that just died is
 * never answered, and the retry reaches the shard's next owner. Acks, receipts and unsubscribes
 * are sent, not requested, through a {@link RelayOutbox} (one message per relay node and
 * event-loop turn in cluster mode).
 */
public final class RelayBus {

  /** Retry pauses double from {@code busRetryMs} up to this many times that. */
  private static final int MAX_BACKOFF_FACTOR = 16;

  private final Vertx vertx;
  private final EventBus bus;
  private final int shards;
  private final long timeoutMs;
  private final long retryMs;
  private final long attemptMs;
  private final Clock clock;
  private final RelayOutbox outbox;

  /** Each fire-and-forget record goes alone to its shard (no owner view: embedded mode). */
  public RelayBus(Vertx vertx, int shards, long timeoutMs, long retryMs, long attemptMs,
      Clock clock) {
    this(vertx, shards, timeoutMs, retryMs, attemptMs, clock, 1, shard -> null);
  }

  /**
   * @param recordBatch {@code RELAY_BUS_RECORD_BATCH}: most records in one message to a node
   * @param owners the relay node owning a shard in this gateway's view, or null when unknown
   */
  public RelayBus(Vertx vertx, int shards, long timeoutMs, long retryMs, long attemptMs,
      Clock clock, int recordBatch, IntFunction<String> owners) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.shards = shards;
    this.timeoutMs = timeoutMs;
    this.retryMs = retryMs;
    this.attemptMs = attemptMs;
    this.clock = clock;
    this.outbox = new RelayOutbox(bus, recordBatch, owners);
  }

  /** The shard of {@code key}, as the relays compute it. */
  public int shardOf(ThreadKey key) {
    return Shards.shardOf(key, shards);
  }

  public int shards() {
    return shards;
  }

  /**
   * Records of this connection still pending for the shard's relay go first: an unsubscribe
   * must not arrive after the subscribe that follows it (the relay keys both by connection).
   */
  public Future<SubscribeAnswer> subscribe(SubscribeCommand command) {
    outbox.flushBefore(shardOf(command.key()));
    return request(command.key(), command)
        .map(body -> BusBodies.as(body, SubscribeAnswer.class, SubscribeAnswer::fromJson));
  }

  public Future<SendAccepted> send(SendCommand command) {
    return request(command.key(), command)
        .map(body -> BusBodies.as(body, SendAccepted.class, SendAccepted::fromJson));
  }

  /** Succeeds when a reply was in progress and is being stopped; fails 404 when none was. */
  public Future<Void> cancel(CancelCommand command) {
    return request(command.key(), command).mapEmpty();
  }

  /** The relay's {@code HistoryPage} as JSON, which is already the body of the history API. */
  public Future<JsonObject> history(HistoryQuery query) {
    return request(query.key(), query).map(BusBodies::json);
  }

  public void unsubscribe(UnsubscribeCommand command) {
    outbox.send(shardOf(command.key()), command);
  }

  public void ack(AckCommand command) {
    outbox.send(shardOf(command.key()), command);
  }

  /** Tells the relay what the gateway holds after a resend (fire and forget: resent if lost). */
  public void received(DeliveryReceipt receipt) {
    outbox.send(shardOf(receipt.key()), receipt);
  }

  private String address(ThreadKey key) {
    return Addresses.shard(Shards.shardOf(key, shards));
  }

  /** The reply's body: a bus record or JSON; an empty JSON object for a bare acknowledgement. */
  private Future<Object> request(ThreadKey key, BusRecord body) {
    Promise<Object> promise = Promise.promise();
    attempt(address(key), body, clock.millis() + timeoutMs, retryMs, promise);
    return promise.future();
  }

  private void attempt(String address, BusRecord body, long deadline, long pause,
      Promise<Object> promise) {
    long remaining = deadline - clock.millis();
    DeliveryOptions options =
        new DeliveryOptions().setSendTimeout(Math.max(1, Math.min(remaining, attemptMs)));
    BusSends.request(bus, address, body, options).onComplete(ar -> {
      if (ar.succeeded()) {
        // A bare acknowledgement (cancel) may carry no body.
        Object reply = ar.result().body();
        promise.complete(reply != null ? reply : new JsonObject());
        return;
      }
      Throwable failure = ar.cause();
      long left = deadline - clock.millis();
      if (!BusFailure.retryable(failure) || left <= pause) {
        promise.fail(failure);
        return;
      }
      long next = Math.min(pause * 2, retryMs * MAX_BACKOFF_FACTOR);
      vertx.setTimer(pause, id -> attempt(address, body, deadline, next, promise));
    });
  }
}
