package dev.chatrelay.gateway.http;

import dev.chatrelay.protocol.Clock;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROTOCOL.md Limits: the first HTTP request of a connection (the WebSocket upgrade above all)
 * must arrive complete within {@code RELAY_UPGRADE_TIMEOUT_MS} of the accept, and each later
 * one on a keep-alive connection within {@code RELAY_KEEPALIVE_TIMEOUT_MS} of the previous
 * response (idle time included); else the TCP connection is closed. An idle timeout would
 * not do: a slowloris client sends a header line every few seconds and is never idle. A Netty
 * handler just ahead of Vert.x's sees decoded requests and responses; the gateway's periodic
 * sweep closes the connections whose deadline passed (within one sweep interval). It leaves the
 * pipeline once a WebSocket upgrade is answered (the socket's heartbeats take over).
 * Event-loop bound: one set per verticle instance, whose connections share its event loop.
 */
public final class UpgradeDeadline extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(UpgradeDeadline.class);
  private static final String NAME = "chat-relay-upgrade-deadline";

  /** The connections of one verticle instance waiting for a complete request. */
  public static final class Watch {
    private final long timeoutMs;
    private final long keepAliveMs;
    private final Clock clock;
    private final Set<UpgradeDeadline> armed = new LinkedHashSet<>();

    /** {@code keepAliveMs}: after a response, the time the next request has (idle included). */
    public Watch(long timeoutMs, long keepAliveMs, Clock clock) {
      this.timeoutMs = timeoutMs;
      this.keepAliveMs = keepAliveMs;
      this.clock = clock;
    }

    /** Installs the deadline on a new HTTP/1.x connection; other kinds are left alone. */
    public void install(HttpConnection connection) {
      if (connection instanceof Http1xServerConnection http1) {
        ChannelHandlerContext vertx = http1.channelHandlerContext();
        vertx.pipeline().addBefore(vertx.name(), NAME, new UpgradeDeadline(this));
      }
    }

    /** Closes every connection whose request did not arrive in time; called by the sweep. */
    public void sweep() {
      long now = clock.millis();
      for (UpgradeDeadline d : new ArrayList<>(armed)) {
        if (now >= d.deadline) {
          d.expire();
        }
      }
    }

    /** Connections waiting for a request now (tests, metrics). */
    public int armedCount() {
      return armed.size();
    }
  }

  private final Watch watch;
  private ChannelHandlerContext ctx;
  private long deadline;
  /** The current request was answered already (a handler may answer before its end is read). */
  private boolean answered;

  private UpgradeDeadline(Watch watch) {
    this.watch = watch;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    arm(watch.timeoutMs);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      answered = false;
    }
    if (msg instanceof LastHttpContent && !answered) {
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
      answered = true;
      arm(watch.keepAliveMs); // keep-alive: idle, then the next request (or this one's unread end)
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(long ms) {
    deadline = watch.clock.millis() + ms;
    watch.armed.add(this);
  }

  private void disarm() {
    watch.armed.remove(this);
  }

  private void expire() {
    disarm();
    log.info("event=http.request_timeout remote={} timeout_ms={}", ctx.channel().remoteAddress(), watch.timeoutMs);
    ctx.channel().close();
  }
}
