package dev.chatrelay.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROTOCOL.md Limits: an HTTP request (the WebSocket upgrade above all) must arrive complete
 * within {@code RELAY_UPGRADE_TIMEOUT_MS} of the connection being accepted, or of the previous
 * response on a keep-alive connection; else the TCP connection is closed. An idle timeout would
 * not do: a slowloris client sends a header line every few seconds and is never idle. Sits in
 * the Netty pipeline just ahead of Vert.x's handler, so it sees decoded requests; it leaves the
 * pipeline once a WebSocket upgrade is answered (the socket's heartbeats take over).
 */
public final class UpgradeDeadline extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(UpgradeDeadline.class);
  private static final String NAME = "chat-relay-upgrade-deadline";

  private final long timeoutMs;
  private ScheduledFuture<?> timer;

  private UpgradeDeadline(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  /** Installs the deadline on a new HTTP/1.x connection; other kinds are left alone. */
  public static void install(HttpConnection connection, long timeoutMs) {
    if (connection instanceof Http1xServerConnection http1) {
      ChannelHandlerContext vertx = http1.channelHandlerContext();
      vertx.pipeline().addBefore(vertx.name(), NAME, new UpgradeDeadline(timeoutMs));
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof LastHttpContent) {
      disarm(); // the request is complete: what follows is the server's to answer
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response
        && HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status())) {
      ctx.pipeline().remove(this); // a WebSocket now
    } else if (msg instanceof LastHttpContent) {
      arm(ctx); // keep-alive: the next request has the same time to arrive
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> {
      log.info("event=http.request_timeout remote={} timeout_ms={}", ctx.channel().remoteAddress(), timeoutMs);
      ctx.close();
    }, timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
