package dev.chatrelay.gateway;

import dev.chatrelay.gateway.auth.TokenVerifier;
import dev.chatrelay.gateway.bus.GatewayInbox;
import dev.chatrelay.gateway.bus.RelayBus;
import dev.chatrelay.gateway.cluster.ShardWatch;
import dev.chatrelay.gateway.http.AdminApi;
import dev.chatrelay.gateway.http.DevTokenApi;
import dev.chatrelay.gateway.http.GatewayRouter;
import dev.chatrelay.gateway.http.HealthApi;
import dev.chatrelay.gateway.http.ThreadsApi;
import dev.chatrelay.gateway.http.UpgradeDeadline;
import dev.chatrelay.gateway.http.UserRateLimits;
import dev.chatrelay.gateway.metrics.GatewayMetrics;
import dev.chatrelay.gateway.ws.OriginPolicy;
import dev.chatrelay.gateway.ws.SessionHub;
import dev.chatrelay.gateway.ws.SessionRegistry;
import dev.chatrelay.gateway.ws.SessionServices;
import dev.chatrelay.gateway.ws.UpgradeHandler;
import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusCodecs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway role: WebSocket sessions, the HTTP API, health and metrics. Deploy it several
 * times in one Vert.x (one per event loop): the instances share the port and Vert.x balances
 * connections. Each instance has its own gateway id and exactly one consumer for the
 * deliveries to all its connections, plus one on the broadcast address. {@link #start()}
 * completes once the server listens and both consumers are registered.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);
  /** Vert.x limits sit this far above ours, so our 4513 always comes before its 1009. */
  private static final int VERTX_LIMIT_FACTOR = 4;
  /** Seconds a closing WebSocket waits for the client's close frame before dropping TCP. */
  private static final int CLOSING_TIMEOUT_S = 5;

  private final GatewayConfig config;
  private final GatewayRuntime runtime;
  private final Clock clock;
  private String gatewayId;
  private SessionHub hub;
  private HttpServer server;
  private long sweepTimer = -1;
  private DrainTarget drainTarget;
  private ShardWatch shardWatch;

  public GatewayVerticle(GatewayConfig config, GatewayRuntime runtime) {
    this(config, runtime, Clock.SYSTEM);
  }

  /** With an injected clock (tests move token expiry and heartbeats by hand). */
  public GatewayVerticle(GatewayConfig config, GatewayRuntime runtime, Clock clock) {
    this.config = config;
    this.runtime = runtime;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    gatewayId = runtime.nextGatewayId();
    GatewayMetrics metrics = runtime.metrics();
    TokenVerifier verifier = new TokenVerifier(vertx, config, clock);
    // Clustered: acks go per relay node, to the owners this instance's shard watch follows.
    RelayBus relay = new RelayBus(vertx, config.shards(), config.busTimeoutMs(),
        config.busRetryMs(), config.busAttemptMs(), clock, config.busRecordBatch(),
        shard -> shardWatch == null ? null : shardWatch.ownerOf(shard));
    SessionRegistry registry = new SessionRegistry();
    UserRateLimits sendQuota = runtime.sendQuota(config, clock);
    SessionServices services = new SessionServices(config, clock, gatewayId, verifier, relay, metrics,
        registry, runtime.userConnections(config), sendQuota);
    hub = new SessionHub(registry);

    GatewayInbox inbox = new GatewayInbox(hub);
    MessageConsumer<Object> direct = vertx.eventBus().consumer(Addresses.gateway(gatewayId), inbox::onDirect);
    MessageConsumer<Object> broadcast = vertx.eventBus().consumer(Addresses.GATEWAY_BROADCAST, inbox::onBroadcast);

    Handler<HttpServerRequest> requests = GatewayRouter.requestHandler(vertx, config, new GatewayRouter.Endpoints(
        new UpgradeHandler(services, new OriginPolicy(config.allowedOrigins()), runtime::isDraining),
        new ThreadsApi(verifier, relay, runtime.httpRateLimits(config, clock), sendQuota),
        runtime.internalRoutesOnPublicPort() ? new AdminApi(config.adminToken(), vertx.eventBus()) : null,
        new HealthApi(runtime),
        config.devTokenEndpointEnabled()
            ? new DevTokenApi(verifier, config.devTokenTtlS(), config.jwtIssuer(), config.jwtAudience(), clock)
            : null,
        runtime.internalRoutesOnPublicPort() ? metrics.registry() : null));
    UpgradeDeadline.Watch upgrades = new UpgradeDeadline.Watch(config.limits().upgradeTimeoutMs(),
        config.limits().keepAliveMs(), clock);
    server = vertx.createHttpServer(serverOptions()).requestHandler(requests)
        .connectionHandler(upgrades::install);
    sweepTimer = vertx.setPeriodic(config.sweepIntervalMs(), id -> {
      hub.sweep();
      upgrades.sweep();
    });
    if (runtime.membership() != null) {
      shardWatch = new ShardWatch(config.shards(), context, hub::shardsMoved);
      shardWatch.start(runtime.membership());
    }

    return Future.all(direct.completion(), broadcast.completion())
        .compose(v -> server.listen(config.httpPort()))
        .onSuccess(s -> {
          drainTarget = new InstanceDrainTarget(vertx, config, hub, context);
          runtime.register(drainTarget);
          log.info("event=gateway.started gateway={} port={} algorithms={}", gatewayId,
              s.actualPort(), verifier.algorithms());
        });
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (drainTarget != null) {
      runtime.unregister(drainTarget);
    }
    if (shardWatch != null) {
      shardWatch.stop();
    }
    log.info("event=gateway.stopped gateway={}", gatewayId);
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** This instance's id: deliveries for its connections go to {@code gateway.<id>}. */
  public String gatewayId() {
    return gatewayId;
  }

  /** The port it listens on (the random one when configured with 0 or -1). */
  public int actualPort() {
    return server.actualPort();
  }

  private HttpServerOptions serverOptions() {
    int vertxLimit = (int) Math.min(Integer.MAX_VALUE, (long) config.maxFrameBytes() * VERTX_LIMIT_FACTOR);
    return new HttpServerOptions()
        .addWebSocketSubProtocol(UpgradeHandler.SUBPROTOCOL)
        .setMaxWebSocketFrameSize(vertxLimit)
        .setMaxWebSocketMessageSize(vertxLimit)
        .setWebSocketClosingTimeout(CLOSING_TIMEOUT_S)
        // Netty inflates a compressed frame whole, with no bound, before anyone can count it: a
        // small deflate bomb would get round RELAY_MAX_FRAME_BYTES. Off, which also saves CPU.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // No h2c upgrade: its detector holds a connection until a first request is complete,
        // before the connection handler runs, so the upgrade deadline could not start at accept.
        .setHttp2ClearTextEnabled(false)
        // Every write to a connection happens on this instance's event loop (socket messages,
        // bus deliveries, timers, HTTP answers), so Vert.x can write straight to the channel
        // instead of through a cross-thread queue: that queue pre-allocates 1,025 slots (4 KiB)
        // per connection and is kept for the life of each WebSocket, a quarter of an idle
        // connection's heap (class histogram of the idle case).
        .setStrictThreadMode(true);
  }

  /** Drain hooks of this instance, safe to call from any thread. */
  private record InstanceDrainTarget(Vertx vertx, GatewayConfig config, SessionHub hub,
      Context context) implements DrainTarget {

    @Override
    public int openSessions() {
      return hub.openCount();
    }

    @Override
    public void closeSessions(int max) {
      context.runOnContext(v -> hub.closeSome(max));
    }

    @Override
    public void closeUnreachable(java.util.Set<Integer> shards) {
      context.runOnContext(v -> hub.closeUnreachable(shards));
    }
  }
}
