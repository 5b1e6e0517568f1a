package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import dev.chatrelay.protocol.wire.ServerMessages;
import io.vertx.core.AsyncResult;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The thread subscriptions of one connection, by thread, and what every part of {@link
 * Subscriptions} says to the relay and the client about one of them. Event-loop bound.
 */
final class SubscriptionTable {

  final SessionServices services;
  final ClientChannel client;
  private final long conn;
  private final String sub;
  private final Map<String, ThreadSubscription> threads = new HashMap<>();
  private long nextSid = 1;
  private boolean closed;

  SubscriptionTable(SessionServices services, ClientChannel client, long conn, String sub) {
    this.services = services;
    this.client = client;
    this.conn = conn;
    this.sub = sub;
  }

  ThreadSubscription get(String thread) {
    return threads.get(thread);
  }

  boolean contains(String thread) {
    return threads.containsKey(thread);
  }

  /** True while {@code s} is the thread's subscription (not replaced, dropped or reset). */
  boolean isCurrent(ThreadSubscription s) {
    return threads.get(s.thread) == s;
  }

  int size() {
    return threads.size();
  }

  Set<String> threads() {
    return threads.keySet();
  }

  Collection<ThreadSubscription> all() {
    return threads.values();
  }

  /** A new subscription of {@code thread} under a new sid, replacing any other. */
  ThreadSubscription open(String thread, String epoch, Long after) {
    ThreadSubscription s = new ThreadSubscription(thread, nextSid++, epoch, after);
    threads.put(thread, s);
    return s;
  }

  ThreadSubscription remove(String thread) {
    return threads.remove(thread);
  }

  /** A sid no subscription of this connection had. */
  long newSid() {
    return nextSid++;
  }

  boolean closed() {
    return closed;
  }

  /** The connection closed: the relays forget every subscription of it. */
  void closeAll() {
    closed = true;
    for (String thread : threads.keySet()) {
      unsubscribeAtRelay(thread);
    }
    threads.clear();
  }

  /** The relay drops the thread's subscription of this connection. */
  void unsubscribeAtRelay(String thread) {
    services.relay().unsubscribe(new UnsubscribeCommand(key(thread), services.gatewayId(), conn));
  }

  /** A subscribe answered after the client no longer wants it: leave nothing at the relay. */
  void forgetIfSubscribed(ThreadSubscription s, AsyncResult<SubscribeAnswer> ar) {
    if (ar.succeeded() && ar.result().subscribed()) {
      unsubscribeAtRelay(s.thread);
    }
  }

  /** Drops the subscription and tells the client its cursor is void. */
  void resetThread(ThreadSubscription s, String epoch, long head, String reason) {
    threads.remove(s.thread);
    writeReset(s.thread, epoch, head, reason);
  }

  void writeReset(String thread, String epoch, long head, String reason) {
    services.metrics().reset();
    client.write(ServerMessages.reset(thread, epoch, head, reason));
  }

  SubscribeCommand command(ThreadSubscription s, Long after) {
    return new SubscribeCommand(key(s.thread), s.epoch, after, services.gatewayId(), conn, s.sid);
  }

  long conn() {
    return conn;
  }

  ThreadKey key(String thread) {
    return new ThreadKey(sub, thread);
  }
}
