package dev.chatrelay.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway told that no relay answers for some shards closes exactly the sessions holding a
 * thread there, with 1013 (reconnect with backoff, resume elsewhere); a failing liveness
 * condition turns {@code /healthz} into 503.
 */
@ExtendWith(VertxExtension.class)
class UnreachableShardCloseTest {

  private GatewayHarness gw;

  @AfterEach
  void close() {
    if (gw != null) {
      gw.close();
    }
  }

  private static JsonObject subscribe(String thread) {
    return new JsonObject().put("type", "subscribe").put("thread", thread).put("after", 0);
  }

  /** A thread name of {@code sub} that lands on a shard other than {@code avoid}. */
  private static String threadOn(String sub, int avoid, String prefix) {
    for (int i = 0; ; i++) {
      String thread = prefix + i;
      if (shard(sub, thread) != avoid) {
        return thread;
      }
    }
  }

  private static int shard(String sub, String thread) {
    return Shards.shardOf(new ThreadKey(sub, thread), GatewayHarness.SHARDS);
  }

  @Test
  void sessionsOnAnUnreachableShardCloseWith1013AndTheOthersStay(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of());
    WsClient alice = gw.open("alice");
    alice.send(subscribe("lost"));
    alice.next("subscribed");
    int lostShard = shard("alice", "lost");
    WsClient bob = gw.open("bob");
    String elsewhere = threadOn("bob", lostShard, "kept");
    bob.send(subscribe(elsewhere));
    bob.next("subscribed");
    await().atMost(WsClient.WAIT).until(() -> gw.relay.subscribes().size() == 2);

    gw.runtime.closeUnreachable(Set.of(lostShard));

    assertEquals(1013, alice.awaitClose());
    bob.expectQuiet();
  }

  @Test
  void healthzFailsOnlyWhileALivenessConditionFails(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of());
    HttpClientHelper http = new HttpClientHelper(vertx, gw.port());
    boolean[] live = {true};
    gw.runtime.addLivenessCondition(() -> live[0]);
    assertEquals(200, http.get("/healthz", null).status());
    live[0] = false;
    assertEquals(503, http.get("/healthz", null).status());
    live[0] = true;
    assertEquals(200, http.get("/healthz", null).status());
  }
}
