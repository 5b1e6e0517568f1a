package dev.chatrelay.loadgen.client;

import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.report.RunStats;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every connection of a run shares: the Vert.x instance, one WebSocket client, the event-loop
 * contexts connections are spread over, the stats and the violation sink.
 */
public final class Connector {

  /** The subprotocol of PROTOCOL.md, offered on every upgrade. */
  public static final String SUBPROTOCOL = "relay.v1";
  /** Time allowed for TCP connect plus upgrade (ms). */
  static final long CONNECT_TIMEOUT_MS = 15_000;
  /** Headroom over the planned connections in the client's per-endpoint limit. */
  private static final int CONNECTION_HEADROOM = 1024;
  /** A storm holds the cut sockets until Vert.x releases them while the new ones open. */
  private static final int GENERATIONS = 2;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<ContextInternal> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final String host;
  private final int port;
  private final String path;
  private final RunStats stats;
  private final Violations violations;
  private final AckPolicy ackPolicy;
  private final WireProtocol protocol;

  public Connector(Vertx vertx, URI wsUrl, int maxConnections, int eventLoops, AckPolicy ackPolicy,
      RunStats stats, Violations violations) {
    this(vertx, wsUrl, WireProtocol.RELAY, maxConnections, eventLoops, ackPolicy, stats, violations);
  }

  public Connector(Vertx vertx, URI wsUrl, WireProtocol protocol, int maxConnections, int eventLoops,
      AckPolicy ackPolicy, RunStats stats, Violations violations) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.host = wsUrl.getHost();
    this.port = wsUrl.getPort() < 0 ? 80 : wsUrl.getPort();
    String rawPath = wsUrl.getRawPath() == null || wsUrl.getRawPath().isEmpty() ? "/" : wsUrl.getRawPath();
    this.path = wsUrl.getRawQuery() == null ? rawPath : rawPath + "?" + wsUrl.getRawQuery();
    this.stats = stats;
    this.violations = violations;
    this.ackPolicy = ackPolicy;
    // The default allows 50 WebSockets per endpoint and queues the rest.
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(maxConnections * GENERATIONS + CONNECTION_HEADROOM)
        .setConnectTimeout((int) CONNECT_TIMEOUT_MS));
    // Contexts made from a non-Vert.x thread stick to one event loop in Vert.x 5: create one per
    // loop through the internal API so connections spread over all of them.
    for (int i = 0; i < eventLoops; i++) {
      loops.add(((VertxInternal) vertx).createEventLoopContext());
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public RunStats stats() {
    return stats;
  }

  public Violations violations() {
    return violations;
  }

  public WireProtocol protocol() {
    return protocol;
  }

  AckPolicy ackPolicy() {
    return ackPolicy;
  }

  WebSocketClient client() {
    return client;
  }

  /** The next event-loop context, round robin. */
  ContextInternal nextLoop() {
    return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
  }

  WebSocketConnectOptions connectOptions() {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(host)
        .setPort(port)
        .setURI(path)
        .setAllowOriginHeader(false) // a non-browser client: no Origin, so no allow-list applies
        .setTimeout(CONNECT_TIMEOUT_MS);
    return protocol == WireProtocol.RELAY ? options.addSubProtocol(SUBPROTOCOL) : options;
  }
}
