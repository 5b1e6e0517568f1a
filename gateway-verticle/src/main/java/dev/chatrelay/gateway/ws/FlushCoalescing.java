package dev.chatrelay.gateway.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the frames written to one connection during one turn of its event loop leave in one
 * socket write. Vert.x flushes every WebSocket message written outside a read of that same
 * connection, and relay deliveries arrive from the event bus, so each frame cost one
 * {@code write(2)}: JFR showed the gateway loops spending about as long in that call as in all
 * their Java code. Netty's {@link FlushConsolidationHandler} turns those flushes into one,
 * run as a task right after the current one (nothing waits for a timer; order is unchanged,
 * and a close still flushes first).
 */
final class FlushCoalescing {

  private static final Logger log = LoggerFactory.getLogger(FlushCoalescing.class);

  /** Flushes pending before one is forced, so a long burst still goes out in steady slices. */
  static final int MAX_PENDING_FLUSHES = 64;

  private static final String HANDLER_NAME = "chat-relay-flush-coalescing";

  private FlushCoalescing() {}

  /** Installs the coalescing on {@code ws}'s channel; leaves a socket of another kind alone. */
  static void install(ServerWebSocket ws) {
    if (!(ws instanceof WebSocketInternal internal)) {
      log.debug("event=flush_coalescing.unavailable type={}", ws.getClass().getName());
      return;
    }
    ChannelHandlerContext vertxHandler = internal.channelHandlerContext();
    // Just ahead of Vert.x's handler: the first outbound handler every flush of it reaches.
    vertxHandler.pipeline().addBefore(vertxHandler.name(), HANDLER_NAME,
        new FlushConsolidationHandler(MAX_PENDING_FLUSHES, true));
  }
}
