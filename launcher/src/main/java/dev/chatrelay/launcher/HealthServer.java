package dev.chatrelay.launcher;

import dev.chatrelay.gateway.http.AdminApi;
import dev.chatrelay.gateway.http.GatewayRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.BooleanSupplier;

/**
 * The internal listener: {@code /healthz} 200 while the process lives, {@code /readyz} 200 when
 * serving and 503 otherwise, {@code /metrics}, and with a gateway {@code /admin/*}. Started on
 * {@code RELAY_HEALTH_PORT} (relay and worker, which have no public HTTP) and on
 * {@code RELAY_ADMIN_PORT} (any role; then the gateway's public port no longer serves
 * {@code /metrics} and {@code /admin/*}). Neither port belongs behind a public Service.
 */
final class HealthServer {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** {@code admin} is null without a gateway in the process (no {@code /admin} routes then). */
  static Future<HealthServer> start(Vertx vertx, int port, BooleanSupplier ready, AdminApi admin) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.response().setStatusCode(200).end("ok"));
    router.get("/readyz").handler(ctx -> {
      boolean isReady = ready.getAsBoolean();
      ctx.response().setStatusCode(isReady ? 200 : 503).end(isReady ? "ready" : "not ready");
    });
    // The registry Vert.x records into (a handler without one would serve an empty registry).
    router.get("/metrics").handler(GatewayRouter.metricsHandler(BackendRegistries.getDefaultNow()));
    if (admin != null) {
      router.post("/admin/users/:sub/disconnect").handler(admin::disconnect);
    }
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(port)
        .map(HealthServer::new);
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
