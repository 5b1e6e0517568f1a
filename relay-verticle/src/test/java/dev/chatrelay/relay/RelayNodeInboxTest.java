package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.ShardRecordBatch;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.shard.FixedShards;
import dev.chatrelay.relay.shard.ShardOwner;
import dev.chatrelay.relay.shard.ShardOwnership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway's batch of shard records sent to the relay's node address is handled record by
 * record as if each had reached its shard: acks open windows, order holds against a later
 * subscribe, and a record for a shard not served here goes on to the shard's address.
 */
@ExtendWith(VertxExtension.class)
class RelayNodeInboxTest {

  private static final String NODE = "n1";
  private static final ThreadKey K1 = new ThreadKey("alice", "t1");
  private static final ThreadKey K2 = new ThreadKey("bob", "t7");
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Fixed shards on a named node: the relay consumes its node address as in cluster mode. */
  private record NodeShards(FixedShards shards) implements ShardOwnership {
    @Override
    public Future<Void> start(ShardOwner owner) {
      return shards.start(owner);
    }

    @Override
    public boolean wants(int shard) {
      return shards.wants(shard);
    }

    @Override
    public String localNode() {
      return NODE;
    }
  }

  private static RelayHarness deploy(Vertx vertx, FixedShards shards) {
    RelayConfig config = RelayConfig.defaults().withFlow(3, 60_000, 1000, 64).withSweep(20, 60_000);
    RelayHarness h = RelayHarness.deploy(vertx, config, new InMemoryJournal(
        config.retentionFrames(), config.retentionFrames(), Clock.SYSTEM, config.shards()),
        new NodeShards(shards));
    h.worker("w1").policy = d -> FakeWorker.Mode.STALL;
    return h;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static void awaitSeqs(RelayHarness h, ThreadKey key, long conn, List<Long> expected) {
    await().atMost(WAIT).until(() -> h.gateway.seqs(conn).size() >= expected.size());
    h.flush(key);
    assertEquals(expected, h.gateway.seqs(conn));
  }

  private static void sendBatch(Vertx vertx, ShardRecordBatch batch) {
    vertx.eventBus().send(Addresses.relayNode(NODE), batch);
  }

  @Test
  void aBatchsAcksOpenTheWindowsOfTheirShards(Vertx vertx) {
    RelayHarness h = deploy(vertx, FixedShards.all(RelayConfig.defaults().shards()));
    h.seed(K1, 10);
    h.seed(K2, 10);
    h.subscribe(K1, null, 0L, 1, 1);
    h.subscribe(K2, null, 0L, 2, 1);
    awaitSeqs(h, K1, 1, range(1, 3));
    awaitSeqs(h, K2, 2, range(1, 3));
    sendBatch(vertx, new ShardRecordBatch(List.of(
        new AckCommand(K1, RelayHarness.GATEWAY, 1, 2),
        new AckCommand(K2, RelayHarness.GATEWAY, 2, 3),
        new AckCommand(K1, RelayHarness.GATEWAY, 1, 3))));
    awaitSeqs(h, K1, 1, range(1, 6));
    awaitSeqs(h, K2, 2, range(1, 6));
  }

  @Test
  void anUnsubscribeInABatchComesBeforeTheSubscribeSentAfterIt(Vertx vertx) {
    RelayHarness h = deploy(vertx, FixedShards.all(RelayConfig.defaults().shards()));
    h.subscribe(K1, null, null, 1, 1);
    Promise<Message<Object>> answered = Promise.promise();
    vertx.runOnContext(v -> { // as the gateway does in one turn: the batch, then the subscribe
      sendBatch(vertx, new ShardRecordBatch(List.of(
          new UnsubscribeCommand(K1, RelayHarness.GATEWAY, 1),
          new AckCommand(K2, RelayHarness.GATEWAY, 9, 1))));
      vertx.eventBus().<Object>request(h.shardAddress(K1),
          new SubscribeCommand(K1, null, null, RelayHarness.GATEWAY, 1, 2)).onComplete(answered);
    });
    SubscribeAnswer answer = BusBodies.as(answered.future().await().body(), SubscribeAnswer.class,
        SubscribeAnswer::fromJson);
    assertTrue(answer.subscribed());
    h.send(K1, "m1", "x"); // the new subscription is alive: the unsubscribe was handled first
    awaitSeqs(h, K1, 1, List.of(1L));
  }

  @Test
  void aRecordForAShardNotServedHereGoesOnToTheShardsAddress(Vertx vertx) {
    int shards = RelayConfig.defaults().shards();
    int served = Shards.shardOf(K1, shards);
    int other = Shards.shardOf(K2, shards);
    assertNotEquals(served, other);
    RelayHarness h = deploy(vertx, new FixedShards(Set.of(served)));
    List<Object> atOther = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(Addresses.shard(other), m -> atOther.add(m.body()))
        .completion().await();
    h.seed(K1, 10);
    h.subscribe(K1, null, 0L, 1, 1);
    awaitSeqs(h, K1, 1, range(1, 3));
    AckCommand elsewhere = new AckCommand(K2, RelayHarness.GATEWAY, 2, 4);
    sendBatch(vertx, new ShardRecordBatch(List.of(elsewhere,
        new AckCommand(K1, RelayHarness.GATEWAY, 1, 3))));
    awaitSeqs(h, K1, 1, range(1, 6));
    await().atMost(WAIT).until(() -> atOther.size() == 1);
    assertEquals(elsewhere, atOther.get(0));
  }
}
