package dev.chatrelay.relay.journal;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy to a Redis that can start swallowing: connections made meanwhile are
 * accepted and never answered (a black-holed address, as a Service IP whose endpoint vanished).
 */
final class SwallowingProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean swallowing;

  private SwallowingProxy(Vertx vertx, int redisPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> {
      connections.incrementAndGet();
      open.add(inbound);
      if (swallowing) {
        return; // accepted, read by nobody, never answered
      }
      inbound.pause();
      client.connect(redisPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          inbound.close();
          return;
        }
        NetSocket outbound = ar.result();
        open.add(outbound);
        inbound.pipeTo(outbound);
        outbound.pipeTo(inbound);
      });
    });
    server.listen(0, "127.0.0.1").await();
  }

  static SwallowingProxy start(Vertx vertx, int redisPort) {
    return new SwallowingProxy(vertx, redisPort);
  }

  String url() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  void swallow(boolean on) {
    swallowing = on;
  }

  /** Closes every connection made so far, proxied or swallowed. */
  void dropAll() {
    for (NetSocket socket : open) {
      socket.close();
    }
    open.clear();
  }

  @Override
  public void close() {
    dropAll();
    server.close().await();
    client.close().await();
  }
}
