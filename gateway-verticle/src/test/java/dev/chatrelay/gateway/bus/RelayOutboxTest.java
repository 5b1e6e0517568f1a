package dev.chatrelay.gateway.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusCodecs;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.ShardRecordBatch;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A turn's acks, receipts and unsubscribes leave as one message per relay node, in order; a lone
 * one, and any whose shard has no known owner, go to the shard as themselves; a subscribe
 * follows what was pending for its relay. Reads the bus's outbound messages in send order.
 */
class RelayOutboxTest {

  private static final IntFunction<String> OWNERS = shard -> shard % 2 == 0 ? "a" : "b";

  private record Sent(String address, Object body) {}

  private Vertx vertx;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BusCodecs.register(vertx.eventBus());
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      sent.add(new Sent(ctx.message().address(), ctx.message().body()));
      ctx.next();
    });
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static AckCommand ack(long conn, long seq) {
    return new AckCommand(new ThreadKey("u", "t" + conn), "gw-1", conn, seq);
  }

  /** Runs {@code turn} as one event-loop turn and waits until the tasks it queued ran too. */
  private void inOneTurn(Runnable turn) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      turn.run();
      vertx.runOnContext(w -> done.complete(null)); // after the flush queued by the turn
    });
    done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneTurnsRecordsLeaveAsOneBatchPerNodeInOrder() throws Exception {
    RelayOutbox outbox = new RelayOutbox(vertx.eventBus(), 256, OWNERS);
    UnsubscribeCommand unsubscribe = new UnsubscribeCommand(new ThreadKey("u", "t3"), "gw-1", 3);
    inOneTurn(() -> {
      outbox.send(0, ack(1, 5));
      outbox.send(1, ack(2, 7));
      outbox.send(2, unsubscribe);
      outbox.send(0, ack(1, 6));
      assertEquals(List.of(), sent); // nothing before the end of the turn
    });
    assertEquals(List.of(
        new Sent(Addresses.relayNode("a"),
            new ShardRecordBatch(List.of(ack(1, 5), unsubscribe, ack(1, 6)))),
        new Sent(Addresses.shard(1), ack(2, 7))), sent); // a lone record goes as itself
  }

  @Test
  void withoutAKnownOwnerEachRecordGoesToItsShardAtOnce() throws Exception {
    RelayOutbox outbox = new RelayOutbox(vertx.eventBus(), 256, shard -> null);
    inOneTurn(() -> {
      outbox.send(3, ack(1, 5));
      outbox.send(3, ack(1, 6));
      assertEquals(2, sent.size());
    });
    assertEquals(List.of(new Sent(Addresses.shard(3), ack(1, 5)),
        new Sent(Addresses.shard(3), ack(1, 6))), sent);
  }

  @Test
  void aBatchOfOneSendsEachRecordAloneAtOnce() throws Exception {
    RelayOutbox outbox = new RelayOutbox(vertx.eventBus(), 1, OWNERS);
    inOneTurn(() -> {
      outbox.send(0, ack(1, 5));
      outbox.send(2, ack(2, 6));
      assertEquals(2, sent.size());
    });
    assertEquals(List.of(new Sent(Addresses.shard(0), ack(1, 5)),
        new Sent(Addresses.shard(2), ack(2, 6))), sent);
  }

  @Test
  void aFullBatchLeavesAtOnce() throws Exception {
    RelayOutbox outbox = new RelayOutbox(vertx.eventBus(), 2, OWNERS);
    inOneTurn(() -> {
      outbox.send(0, ack(1, 5));
      outbox.send(2, ack(2, 6));
      assertEquals(1, sent.size());
      outbox.send(0, ack(1, 7));
    });
    assertEquals(List.of(
        new Sent(Addresses.relayNode("a"), new ShardRecordBatch(List.of(ack(1, 5), ack(2, 6)))),
        new Sent(Addresses.shard(0), ack(1, 7))), sent);
  }

  @Test
  void offAnEventLoopEachRecordGoesAtOnce() {
    RelayOutbox outbox = new RelayOutbox(vertx.eventBus(), 256, OWNERS);
    outbox.send(0, ack(1, 5)); // the test's thread: no turn to join
    assertEquals(List.of(new Sent(Addresses.shard(0), ack(1, 5))), sent);
  }

  @Test
  void aSubscribeFollowsWhatWasPendingForItsRelay() throws Exception {
    int shards = 8;
    ThreadKey key = new ThreadKey("u", "t1");
    int shard = Shards.shardOf(key, shards);
    RelayBus relay = new RelayBus(vertx, shards, 100, 50, 50, Clock.SYSTEM, 256, s -> "a");
    UnsubscribeCommand unsubscribe = new UnsubscribeCommand(key, "gw-1", 1);
    DeliveryReceipt receipt = new DeliveryReceipt(key, "gw-1", 1, 2, 9, 9);
    SubscribeCommand subscribe = new SubscribeCommand(key, null, 9L, "gw-1", 1, 3);
    AckCommand after = new AckCommand(key, "gw-1", 1, 10);
    inOneTurn(() -> {
      relay.received(receipt);
      relay.unsubscribe(unsubscribe);
      relay.subscribe(subscribe); // no relay answers here: fails after its retries, ignored
      relay.ack(after);
    });
    // The unsubscribe reaches the relay before the subscribe that follows it, on one connection.
    assertEquals(new Sent(Addresses.relayNode("a"),
        new ShardRecordBatch(List.of(receipt, unsubscribe))), sent.get(0));
    assertEquals(Addresses.shard(shard), sent.get(1).address());
    assertInstanceOf(SubscribeCommand.class, sent.get(1).body());
    assertEquals(new Sent(Addresses.shard(shard), after), sent.get(2));
  }
}
