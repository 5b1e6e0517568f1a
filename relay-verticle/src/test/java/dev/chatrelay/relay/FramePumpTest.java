package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusCodecs;
import dev.chatrelay.relay.journal.ThreadInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pump against an event bus that can fail. */
@ExtendWith(VertxExtension.class)
class FramePumpTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");

  /**
   * Found by ClusterChaosIT (kill -9 of a gateway): Vert.x 5.0.7 threw "Promise already
   * completed" out of {@code EventBus.send} to the node whose connection had just reset. The
   * throw left the pump loop, so the thread's other (live) subscriptions were not pumped with
   * the new frame; after the last frame of a reply nothing pumps them again.
   */
  @Test
  void aSendThatThrowsForOneGatewayStillPumpsTheOthers(Vertx vertx) {
    String dead = "dead-gateway";
    String live = "live-gateway";
    var real = vertx.eventBus();
    BusCodecs.register(real); // the relay sends records, as RelayVerticle registers them
    Vertx withFailingBus = ThrowingBus.around(vertx, (method, args) ->
        method.getName().equals("send") && Addresses.gateway(dead).equals(args[0]));
    List<JsonObject> delivered = new CopyOnWriteArrayList<>();
    real.consumer(Addresses.gateway(live), m -> delivered.add(BusBodies.json(m.body())))
        .completion().await();

    RelayRuntime rt = new RelayRuntime(withFailingBus, RelayConfig.defaults(), null,
        new RelayMetrics(new SimpleMeterRegistry()), Clock.SYSTEM);
    SubscriptionRegistry registry = new SubscriptionRegistry(rt);
    FramePump pump = new FramePump(rt, registry, new DeliveryWatch(rt));
    ThreadState t = new ThreadState(KEY, 0, new ThreadInfo("e1", 0, 1), 64, 0);
    registry.attach(new Subscription(t, dead, 1, 1, 0)); // older: pumped first
    Subscription liveSub = new Subscription(t, live, 2, 1, 0);
    registry.attach(liveSub);

    t.advance(new Frame(KEY.thread(), "e1", 1, "f1", FrameKind.TYPING, 0, "s1",
        new JsonObject().put("on", false)), 1);
    pump.pumpAll(t);

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
    assertEquals(1, liveSub.sent);
    assertEquals(1L, delivered.get(0).getLong("firstSeq"));
  }
}
