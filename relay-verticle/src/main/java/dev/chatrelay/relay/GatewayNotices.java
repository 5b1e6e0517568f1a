package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.BusSends;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that end a subscription at the relay (moved, reset, close): after one of them the
 * relay sends that connection nothing more, so a lost one would leave the client waiting for
 * good. Each is a request the gateway answers once it has handled it; unanswered within
 * {@code RELAY_DELIVERY_RESEND_MS} it is sent again, until {@code RELAY_SLOW_CONSUMER_MS} has
 * passed. No consumer for the gateway's address is retried after the same pause: right after a
 * merge the gateway is back but its registration is not republished yet, and a notice given up
 * then left a subscription dropped at the relay and live at the gateway, so its reply never
 * came. (A gateway node that left has its subscriptions dropped without notices.) Handling one
 * twice is harmless on the gateway: it names the subscription's sid.
 */
final class GatewayNotices {

  private static final Logger log = LoggerFactory.getLogger(GatewayNotices.class);

  private GatewayNotices() {}

  static void tell(RelayRuntime rt, String gateway, BusRecord notice) {
    rt.outbox().flush(gateway); // the deliveries made before the notice reach the gateway first
    attempt(rt, Addresses.gateway(gateway), notice, rt.now() + rt.config().slowConsumerMs(), 1);
  }

  private static void attempt(RelayRuntime rt, String address, BusRecord notice, long deadline,
      int attempt) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(rt.config().deliveryResendMs());
    BusSends.request(rt.bus(), address, notice, options).onFailure(e -> {
      if (rt.now() >= deadline) {
        log.warn("event=gateway_notice.given_up address={} notice={} attempts={} error={}", address,
            notice.getClass().getSimpleName(), attempt, e.toString());
        return;
      }
      log.info("event=gateway_notice.resent address={} notice={} attempt={} error={}", address,
          notice.getClass().getSimpleName(), attempt + 1, e.toString());
      boolean noConsumer = e instanceof ReplyException re
          && re.failureType() == ReplyFailure.NO_HANDLERS;
      if (noConsumer) { // fails at once: pause as a timeout would have
        rt.vertx().setTimer(rt.config().deliveryResendMs(),
            id -> attempt(rt, address, notice, deadline, attempt + 1));
      } else {
        attempt(rt, address, notice, deadline, attempt + 1);
      }
    });
  }
}
