package dev.chatrelay.gateway.http;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.protocol.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Set;

/** Every HTTP route of the gateway, in one place. */
public final class GatewayRouter {

  /** Classpath folder of the browser SDK and demo page (filled by the gateway pom). */
  public static final String WEBROOT = "webroot";

  private GatewayRouter() {}

  /** The WebSocket endpoint; {@code /ws/} is the same path, as the router treated it. */
  static final String WS_PATH = "/ws";

  /**
   * The parts behind the routes; {@code devTokens} is null when that endpoint is off, {@code admin}
   * and {@code meters} are null when an internal port serves them (RELAY_ADMIN_PORT).
   */
  public record Endpoints(
      Handler<HttpServerRequest> upgrade,
      ThreadsApi threads,
      AdminApi admin,
      HealthApi health,
      DevTokenApi devTokens,
      MeterRegistry meters) {}

  /**
   * The server's request handler: {@code GET /ws} goes straight to the upgrade, with the
   * server's own request (the router would wrap it, and the socket it makes), everything else
   * to the router of {@link #create}.
   */
  public static Handler<HttpServerRequest> requestHandler(Vertx vertx, GatewayConfig config,
      Endpoints endpoints) {
    Router router = create(vertx, config, endpoints);
    Handler<HttpServerRequest> upgrade = endpoints.upgrade();
    return request -> {
      if (request.method() == HttpMethod.GET && isWsPath(request.path())) {
        upgrade.handle(request);
      } else {
        router.handle(request);
      }
    };
  }

  private static boolean isWsPath(String path) {
    return path != null && path.startsWith(WS_PATH)
        && (path.length() == WS_PATH.length()
            || (path.length() == WS_PATH.length() + 1 && path.charAt(WS_PATH.length()) == '/'));
  }

  /** Every route but {@code /ws}. */
  static Router create(Vertx vertx, GatewayConfig config, Endpoints endpoints) {
    Router router = Router.router(vertx);

    router.get("/healthz").handler(endpoints.health()::health);
    router.get("/readyz").handler(endpoints.health()::ready);
    if (endpoints.meters() != null) {
      router.get("/metrics").handler(metricsHandler(endpoints.meters()));
    }

    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxFrameBytes());
    router.route("/api/*").handler(cors(config));
    router.get("/api/threads/:thread/frames").handler(endpoints.threads()::history);
    router.post("/api/threads/:thread/messages").handler(body).handler(endpoints.threads()::postMessage);
    router.route("/api/*").failureHandler(HttpErrors::fromStatus);

    if (endpoints.admin() != null) {
      router.post("/admin/users/:sub/disconnect").handler(endpoints.admin()::disconnect);
    }

    if (endpoints.devTokens() != null) {
      router.post("/dev/token").handler(body).handler(endpoints.devTokens()::issue)
          .failureHandler(HttpErrors::fromStatus);
    }

    // Vert.x knows no media type for .d.ts; the static handler keeps a type set before it.
    router.getWithRegex(".*\\.d\\.ts").handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/typescript; charset=utf-8");
      ctx.next();
    });
    // The file names carry no version: browsers keep a copy but revalidate it on every use (a
    // 304 via Last-Modified), so after an upgrade no page runs a day-old SDK or demo.
    router.route().handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      ctx.next();
    }).handler(StaticHandler.create(WEBROOT).setIndexPage("index.html"));
    return router;
  }

  private static CorsHandler cors(GatewayConfig config) {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of(HttpHeaders.AUTHORIZATION.toString(), HttpHeaders.CONTENT_TYPE.toString()));
    if (config.allowsAnyOrigin()) {
      cors.addOrigin("*");
    } else {
      cors.addOrigins(config.allowedOrigins());
    }
    return cors;
  }

  /** Prometheus text from the gateway's registry; 404 when the registry is not Prometheus. */
  public static Handler<RoutingContext> metricsHandler(MeterRegistry meters) {
    if (meters instanceof PrometheusMeterRegistry prometheus) {
      return PrometheusScrapingHandler.create(prometheus);
    }
    return ctx -> HttpErrors.send(ctx, ErrorCode.NOT_FOUND,
        "metrics backend is not Prometheus");
  }
}
