package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.gateway.bus.GatewayInbox;
import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.bus.CloseConnection;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DisconnectUser;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.bus.SubscriptionReset;
import java.util.Set;
import dev.chatrelay.protocol.wire.FieldRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one verticle instance as the rest of the gateway sees them: relay messages
 * in, the periodic sweep, operator disconnects and drains. Event-loop bound.
 */
public final class SessionHub implements GatewayInbox.Sessions {

  private static final Logger log = LoggerFactory.getLogger(SessionHub.class);

  /** RFC 6455: a close frame's reason is at most 123 bytes. */
  private static final int MAX_REASON_BYTES = 123;

  private final SessionRegistry registry;

  public SessionHub(SessionRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void deliver(Delivery delivery) {
    Session session = registry.get(delivery.conn());
    if (session != null && session.subscriptions() != null) {
      session.subscriptions().onDelivery(delivery);
    }
  }

  @Override
  public void reset(SubscriptionReset reset) {
    Session session = registry.get(reset.conn());
    if (session != null && session.subscriptions() != null) {
      session.subscriptions().onReset(reset);
    }
  }

  @Override
  public void moved(SubscriptionMoved moved) {
    Session session = registry.get(moved.conn());
    if (session != null && session.subscriptions() != null) {
      session.subscriptions().onMoved(moved);
    }
  }

  /** The owner of {@code shards} changed: every session subscribes again there. */
  public void shardsMoved(Set<Integer> shards) {
    int moved = 0;
    for (Session session : registry.all()) {
      if (session.subscriptions() != null) {
        moved += session.subscriptions().shardsMoved(shards);
      }
    }
    log.info("event=shards.moved shards={} resubscribed={}", shards.size(), moved);
  }

  @Override
  public void close(CloseConnection close) {
    Session session = registry.get(close.conn());
    if (session == null) {
      return;
    }
    int code = close.code();
    if (!isSendableCloseCode(code)) {
      log.warn("event=relay.close_code_invalid session={} code={}", session.sessionId(), code);
      session.close(CloseCode.SERVER_ERROR, "relay asked for invalid close code " + code);
      return;
    }
    String reason = close.reason() == null ? "" : close.reason();
    session.close(code, truncateReason(reason), "relay: " + reason);
  }

  @Override
  public void disconnectUser(DisconnectUser disconnect) {
    int closed = registry.closeUser(disconnect.sub(), CloseCode.FORBIDDEN, "operator disconnect");
    if (closed > 0) {
      log.info("event=user.disconnected sub={} sessions={}", LogSafe.of(disconnect.sub()), closed);
    }
  }

  /**
   * One pass over every session for hello timeouts, token expiry and heartbeats. One periodic
   * sweep per instance instead of timers per session: no timer to create, reset or cancel on
   * each message (the hot path only stores a timestamp), and the cost stays one timer however
   * many thousands of sessions an instance holds.
   */
  public void sweep() {
    for (Session session : registry.all()) {
      session.tick();
    }
  }

  /** Drain step: closes up to {@code max} sessions with 1012. */
  public void closeSome(int max) {
    registry.closeSome(max, CloseCode.RESTARTING, "drain");
  }

  /**
   * No relay has answered for {@code shards} too long: their sessions close with 1013 so their
   * clients resume at a gateway that reaches an owner (PROTOCOL.md close codes).
   */
  public void closeUnreachable(Set<Integer> shards) {
    int closed = registry.closeOnShards(shards, CloseCode.OVERLOADED, "shard owner unreachable");
    if (closed > 0) {
      log.warn("event=sessions.closed_unreachable shards={} sessions={}", shards.size(), closed);
    }
  }

  public int openCount() {
    return registry.openCount();
  }

  /** Codes a server may put in a close frame (RFC 6455 §7.4) that PROTOCOL.md gives meaning to. */
  private static boolean isSendableCloseCode(int code) {
    return code == 1000 || code == 1001 || (code >= 1011 && code <= 1013) || (code >= 4000 && code <= 4999);
  }

  /** A close reason must fit in 123 UTF-8 bytes. */
  private static String truncateReason(String reason) {
    String r = reason.length() <= MAX_REASON_BYTES ? reason : reason.substring(0, MAX_REASON_BYTES);
    while (FieldRules.utf8Length(r) > MAX_REASON_BYTES) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
