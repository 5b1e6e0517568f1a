package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.gateway.auth.BearerToken;
import dev.chatrelay.gateway.http.HttpErrors;
import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws}: the checks PROTOCOL.md makes before an upgrade (draining 503, Origin 403,
 * subprotocol 400), then the upgrade and a new {@link Session}. The bearer token is captured
 * from the {@code Authorization} header only; the query string is never read nor logged.
 * It takes the server's request itself, ahead of the router (see {@link
 * dev.chatrelay.gateway.http.GatewayRouter#requestHandler}): vertx-web would hand over a
 * wrapped socket, and {@link FlushCoalescing} needs the socket's channel.
 */
public final class UpgradeHandler implements Handler<HttpServerRequest> {

  /** The one subprotocol of this protocol version. */
  public static final String SUBPROTOCOL = "relay.v1";

  private static final Logger log = LoggerFactory.getLogger(UpgradeHandler.class);

  private final SessionServices services;
  private final OriginPolicy origins;
  private final BooleanSupplier draining;

  public UpgradeHandler(SessionServices services, OriginPolicy origins, BooleanSupplier draining) {
    this.services = services;
    this.origins = origins;
    this.draining = draining;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (draining.getAsBoolean()) {
      HttpErrors.send(request.response(), ErrorCode.UNAVAILABLE, "draining: connect to another gateway");
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (!origins.allows(origin)) {
      log.info("event=upgrade.refused reason=origin origin={}", LogSafe.of(origin));
      HttpErrors.send(request.response(), ErrorCode.FORBIDDEN, "origin not allowed");
      return;
    }
    if (!subprotocolAcceptable(request.headers().getAll("Sec-WebSocket-Protocol"))) {
      HttpErrors.send(request.response(), ErrorCode.BAD_REQUEST,
          "subprotocol " + SUBPROTOCOL + " not offered");
      return;
    }
    String headerToken = BearerToken.from(request.getHeader(HttpHeaders.AUTHORIZATION));
    request.toWebSocket()
        .onSuccess(ws -> accept(ws, headerToken))
        .onFailure(e -> log.debug("event=upgrade.failed error={}", e.toString()));
  }

  private void accept(ServerWebSocket ws, String headerToken) {
    FlushCoalescing.install(ws);
    Session session = new Session(services, services.registry().nextConnId(), ws, headerToken);
    services.registry().add(session);
    session.start();
    log.debug("event=session.upgraded session={} remote={}", session.sessionId(), ws.remoteAddress());
  }

  /** No offer is fine; an offer must include relay.v1 (browsers abort otherwise anyway). */
  static boolean subprotocolAcceptable(Iterable<String> headerValues) {
    boolean offered = false;
    for (String value : headerValues) {
      for (String protocol : value.split(",")) {
        String p = protocol.trim();
        if (p.isEmpty()) {
          continue;
        }
        offered = true;
        if (SUBPROTOCOL.equals(p)) {
          return true;
        }
      }
    }
    return !offered;
  }
}
