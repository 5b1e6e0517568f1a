package dev.chatrelay.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several instances on one port, and the drain across all of them. */
@ExtendWith(VertxExtension.class)
class DrainTest {

  private GatewayHarness gw;

  @AfterEach
  void close() {
    gw.close();
  }

  private GatewayHarness twoInstances(Vertx vertx, String batch, String intervalMs, String graceMs) {
    return new GatewayHarness(vertx, Map.of(GatewayConfig.HTTP_PORT, "-1",
        GatewayConfig.DRAIN_BATCH, batch, GatewayConfig.DRAIN_INTERVAL_MS, intervalMs,
        GatewayConfig.DRAIN_GRACE_MS, graceMs), Clock.SYSTEM, 2);
  }

  @Test
  void instancesShareThePortAndEachHasItsOwnGatewayId(Vertx vertx) {
    gw = twoInstances(vertx, "10", "50", "5000");
    assertEquals(gw.instances.get(0).actualPort(), gw.instances.get(1).actualPort());
    assertNotEquals(gw.instances.get(0).gatewayId(), gw.instances.get(1).gatewayId());
    List<String> gateways = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      WsClient c = gw.open("u" + i);
      c.send(new JsonObject().put("type", "subscribe").put("thread", "t").put("after", 0));
      c.next("subscribed");
      gateways.add(gw.relay.lastSubscribe("t").gateway());
    }
    assertEquals(2, gateways.stream().distinct().count(), "connections spread over both instances: " + gateways);
  }

  @Test
  void drainClosesEverySessionWith1012InBatchesAndRefusesNewOnes(Vertx vertx) {
    gw = twoInstances(vertx, "2", "1000", "20000");
    gw.runtime.markReady();
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clients.add(gw.open("u" + i));
    }
    Future<Void> drained = gw.runtime.drain();
    assertSame(drained, gw.runtime.drain(), "one drain, whoever asks");
    // The first step closes 2 at once; the next step is a second away.
    await().atMost(WsClient.WAIT).until(() -> clients.stream().filter(WsClient::isClosed).count() >= 2);
    assertEquals(2, clients.stream().filter(WsClient::isClosed).count());
    drained.await();
    for (WsClient c : clients) {
      assertEquals(1012, c.awaitClose());
    }
    assertEquals(503, new HttpClientHelper(vertx, gw.port()).get("/readyz", null).status());
  }

  @Test
  void drainCompletesAfterTheGraceEvenWithSessionsLeft(Vertx vertx) {
    gw = twoInstances(vertx, "1", "10000", "300");
    List<WsClient> clients = List.of(gw.open("a"), gw.open("b"), gw.open("c"));
    long start = System.nanoTime();
    gw.runtime.drain().await();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.toMillis() >= 300, "waited for the grace: " + took);
    assertTrue(took.toMillis() < 5_000, "the grace ends the drain, not the next 10 s step: " + took);
    assertTrue(clients.stream().filter(c -> !c.isClosed()).count() >= 1, "the grace cut the drain short");
  }

  @Test
  void drainWithoutSessionsCompletesAtOnce(Vertx vertx) throws Exception {
    gw = twoInstances(vertx, "1", "10000", "20000");
    gw.runtime.drain().await(1, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(gw.runtime.isDraining());
  }
}
