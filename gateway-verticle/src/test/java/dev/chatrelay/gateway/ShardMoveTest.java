package dev.chatrelay.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.cluster.ClusterView;
import dev.chatrelay.protocol.cluster.ManualMembership;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shard moving to another relay: the gateway subscribes again from the last acked seq with a
 * new sid, drops what the old subscription still sends and what the new owner sends twice, and
 * the client sees every frame once, in order, on the same connection.
 */
@ExtendWith(VertxExtension.class)
class ShardMoveTest {

  private GatewayHarness gw;

  @AfterEach
  void close() {
    if (gw != null) {
      gw.close();
    }
  }

  private static JsonObject subscribe(String thread, long after) {
    return new JsonObject().put("type", "subscribe").put("thread", thread).put("after", after);
  }

  private static JsonObject ack(String thread, long seq) {
    return new JsonObject().put("type", "ack").put("thread", thread).put("seq", seq);
  }

  private SubscribeCommand awaitSubscribes(String thread, int count) {
    await().atMost(WsClient.WAIT).until(() -> gw.relay.subscribes().stream()
        .filter(s -> s.key().thread().equals(thread)).count() >= count);
    return gw.relay.lastSubscribe(thread);
  }

  private static void expectFrames(WsClient c, String thread, long first, long last) {
    for (long seq = first; seq <= last; seq++) {
      JsonObject frame = c.next("frame");
      assertEquals(thread, frame.getString("thread"));
      assertEquals(seq, frame.getLong("seq"));
    }
  }

  @Test
  void movedSubscriptionResumesFromTheLastAckedSeqWithANewSid(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of());
    WsClient c = gw.open("alice");
    c.send(subscribe("t1", 0));
    c.next("subscribed");
    SubscribeCommand first = awaitSubscribes("t1", 1);
    gw.relay.deliver(first, 1, 5);
    expectFrames(c, "t1", 1, 5);
    c.send(ack("t1", 3));
    await().atMost(WsClient.WAIT).until(() -> gw.relay.received.stream()
        .anyMatch(m -> "ack".equals(m.getString("op")) && m.getLong("seq") == 3));

    vertx.eventBus().send(Addresses.gateway(first.gateway()),
        new SubscriptionMoved(first.conn(), first.sid(), "t1").toJson());
    SubscribeCommand again = awaitSubscribes("t1", 2);
    assertEquals(3L, again.after(), "from the last acked seq");
    assertNotEquals(first.sid(), again.sid());
    assertEquals("e1", again.epoch(), "with the epoch the client holds");

    gw.relay.deliver(first, 6, 6); // the old owner, late: stale sid
    gw.relay.deliver(again, 4, 7); // the new owner sends 4 and 5 again
    expectFrames(c, "t1", 6, 7);
    c.expectQuiet();
  }

  @Test
  void aMoveForAnotherSidIsIgnored(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of());
    WsClient c = gw.open("alice");
    c.send(subscribe("t1", 0));
    c.next("subscribed");
    SubscribeCommand first = awaitSubscribes("t1", 1);
    vertx.eventBus().send(Addresses.gateway(first.gateway()),
        new SubscriptionMoved(first.conn(), first.sid() + 100, "t1").toJson());
    gw.relay.deliver(first, 1, 2);
    expectFrames(c, "t1", 1, 2);
    assertEquals(1, gw.relay.subscribes().size());
  }

  @Test
  void membershipChangeResubscribesExactlyTheThreadsOfMovedShards(Vertx vertx) {
    ManualMembership membership = new ManualMembership("gw", Set.of("gw", "r1"), Set.of("r1"));
    gw = new GatewayHarness(vertx, Map.of(), Clock.SYSTEM, 1,
        new GatewayRuntime("gw", membership));
    WsClient c = gw.open("alice");
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String thread = "t" + i;
      threads.add(thread);
      c.send(subscribe(thread, 0));
      c.next("subscribed");
    }
    await().atMost(WsClient.WAIT).until(() -> gw.relay.subscribes().size() == threads.size());

    membership.set(Set.of("gw", "r1", "r2"), Set.of("r1", "r2"));
    ClusterView view = membership.view();
    Set<String> moved = new TreeSet<>();
    for (String thread : threads) {
      int shard = Shards.shardOf(new ThreadKey("alice", thread), GatewayHarness.SHARDS);
      if (view.ownerOf(shard).equals("r2")) {
        moved.add(thread);
      }
    }
    await().atMost(WsClient.WAIT).until(() ->
        gw.relay.subscribes().size() == threads.size() + moved.size());
    Set<String> again = new TreeSet<>();
    for (SubscribeCommand s : gw.relay.subscribes().subList(threads.size(),
        gw.relay.subscribes().size())) {
      again.add(s.key().thread());
      assertEquals(0L, s.after());
    }
    assertEquals(moved, again);

    // Every relay gone: nothing to subscribe to; a relay back: everything moves to it.
    membership.set(Set.of("gw"), Set.of());
    membership.set(Set.of("gw", "r3"), Set.of("r3"));
    await().atMost(WsClient.WAIT).until(() ->
        gw.relay.subscribes().size() == 2 * threads.size() + moved.size());
    c.expectQuiet();
  }
}
