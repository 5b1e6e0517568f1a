package dev.chatrelay.protocol.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-bus sends that never throw. Vert.x 5.0.7 can throw from {@code send}/{@code request} to
 * a cluster node whose connection was just reset ("Promise already completed" in
 * {@code OutboundConnection.writeMessage}); thrown from a handler, that skips the caller's
 * remaining work (other subscribers, a job's retry). Here a send that throws is a message lost
 * on the way, as any bus message can be: {@link #send} says false, {@link #request} fails with
 * {@link ReplyFailure#NO_HANDLERS}, which every caller already retries.
 */
public final class BusSends {

  private static final Logger log = LoggerFactory.getLogger(BusSends.class);

  private BusSends() {}

  /** Sends {@code body}; false (logged) if the bus threw. */
  public static boolean send(EventBus bus, String address, Object body) {
    try {
      bus.send(address, body);
      return true;
    } catch (RuntimeException e) {
      log.warn("event=bus.send_failed address={} body={} error={}", address, typeOf(body), e.toString());
      return false;
    }
  }

  /** Publishes {@code body}; false (logged) if the bus threw. */
  public static boolean publish(EventBus bus, String address, Object body) {
    try {
      bus.publish(address, body);
      return true;
    } catch (RuntimeException e) {
      log.warn("event=bus.publish_failed address={} body={} error={}", address, typeOf(body),
          e.toString());
      return false;
    }
  }

  /** Requests as {@link EventBus#request}; a throw becomes a failed, retryable reply. */
  public static <T> Future<Message<T>> request(EventBus bus, String address, Object body,
      DeliveryOptions options) {
    try {
      return bus.request(address, body, options);
    } catch (RuntimeException e) {
      log.warn("event=bus.request_failed address={} body={} error={}", address, typeOf(body),
          e.toString());
      return Future.failedFuture(
          new ReplyException(ReplyFailure.NO_HANDLERS, -1, "not sent: " + e));
    }
  }

  private static String typeOf(Object body) {
    return body == null ? "null" : body.getClass().getSimpleName();
  }
}
