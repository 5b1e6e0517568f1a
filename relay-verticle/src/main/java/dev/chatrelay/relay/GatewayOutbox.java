package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the deliveries a relay makes for each gateway instance within one event-loop turn
 * into one bus message ({@link DeliveryBatch}; a lone delivery goes as itself): the turn that
 * handles a batch of journal results pumps many subscriptions, and in cluster mode each message
 * costs a socket write and a wake-up on both sides. A batch is sent early once it holds
 * {@code maxFrames} frames (the ack window: one subscription's most). Anything else sent to a
 * gateway goes after its pending deliveries ({@link #flush(String)}), so the order a gateway sees
 * is the order the relay made. Event-loop confined.
 */
final class GatewayOutbox {

  private static final Logger log = LoggerFactory.getLogger(GatewayOutbox.class);

  private final Vertx vertx;
  private final boolean coalesce;
  private final int maxFrames;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private boolean flushScheduled;

  private static final class Pending {
    final List<Delivery> deliveries = new ArrayList<>();
    int frames;
  }

  /**
   * @param coalesce false sends each delivery at once: in one JVM a bus message costs no write
   *     and no wake-up, so embedded mode keeps its one-message-per-delivery behaviour
   */
  GatewayOutbox(Vertx vertx, boolean coalesce, int maxFrames) {
    this.vertx = vertx;
    this.coalesce = coalesce;
    this.maxFrames = maxFrames;
  }

  /** Sends {@code delivery} to {@code gateway} at the end of this turn, with the turn's others. */
  void deliver(String gateway, Delivery delivery) {
    Context context = Vertx.currentContext();
    if (!coalesce || context == null) { // off an event loop (a test's thread): nothing to join
      send(gateway, List.of(delivery));
      return;
    }
    Pending p = pending.computeIfAbsent(gateway, g -> new Pending());
    p.deliveries.add(delivery);
    p.frames += delivery.frames().size();
    if (p.frames >= maxFrames) {
      flush(gateway);
    }
    if (!flushScheduled && !pending.isEmpty()) {
      flushScheduled = true;
      context.runOnContext(v -> flushAll());
    }
  }

  /** Sends what is pending for {@code gateway} now (before a notice to it). */
  void flush(String gateway) {
    Pending p = pending.remove(gateway);
    if (p != null) {
      send(gateway, p.deliveries);
    }
  }

  void flushAll() {
    flushScheduled = false;
    for (String gateway : new ArrayList<>(pending.keySet())) {
      flush(gateway);
    }
  }

  private void send(String gateway, List<Delivery> deliveries) {
    Object body = deliveries.size() == 1 ? deliveries.get(0) : new DeliveryBatch(deliveries);
    // Not sent is lost on the way, as any bus send can be: the deliveries' watch resends them.
    if (!BusSends.send(vertx.eventBus(), Addresses.gateway(gateway), body)) {
      for (Delivery d : deliveries) {
        log.warn("event=delivery.not_sent conn={} thread={} gateway={} first={} last={}", d.conn(),
            d.thread(), gateway, d.firstSeq(), d.lastSeq());
      }
    }
  }
}
