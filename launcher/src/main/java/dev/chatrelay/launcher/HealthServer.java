package dev.chatrelay.launcher;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.BooleanSupplier;

/**
 * Probes for a process without a gateway (role relay or worker): {@code /healthz} 200 while the
 * process lives, {@code /readyz} 200 when serving and 503 otherwise, {@code /metrics}.
 */
final class HealthServer {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  static Future<HealthServer> start(Vertx vertx, int port, BooleanSupplier ready) {
    Handler<HttpServerRequest> metrics = metricsHandler();
    return vertx.createHttpServer()
        .requestHandler(request -> {
          switch (request.path()) {
            case "/healthz" -> request.response().setStatusCode(200).end("ok");
            case "/readyz" -> {
              boolean isReady = ready.getAsBoolean();
              request.response().setStatusCode(isReady ? 200 : 503)
                  .end(isReady ? "ready" : "not ready");
            }
            case "/metrics" -> metrics.handle(request);
            default -> request.response().setStatusCode(404).end();
          }
        })
        .listen(port)
        .map(HealthServer::new);
  }

  /** Scrapes the registry Vert.x records into (create() without one would serve an empty one). */
  private static Handler<HttpServerRequest> metricsHandler() {
    if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry registry) {
      return PrometheusRequestHandler.create(registry);
    }
    return request -> request.response().setStatusCode(404).end("metrics disabled");
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
