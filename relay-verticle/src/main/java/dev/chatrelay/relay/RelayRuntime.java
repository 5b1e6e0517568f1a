package dev.chatrelay.relay;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * What every part of one relay verticle shares: its Vert.x, settings, journal, meters, clock and
 * the outbox of its deliveries to gateways.
 */
record RelayRuntime(Vertx vertx, RelayConfig config, Journal journal, RelayMetrics metrics,
    Clock clock, GatewayOutbox outbox) {

  RelayRuntime(Vertx vertx, RelayConfig config, Journal journal, RelayMetrics metrics,
      Clock clock) {
    this(vertx, config, journal, metrics, clock, new GatewayOutbox(vertx, vertx.isClustered(),
        config.ackWindow()));
  }

  EventBus bus() {
    return vertx.eventBus();
  }

  long now() {
    return clock.millis();
  }
}
