package dev.chatrelay.gateway.http;

import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.bus.BusFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP error answers of PROTOCOL.md: JSON {@code {code, message}} with the code's status. */
public final class HttpErrors {

  private HttpErrors() {}

  public static void send(RoutingContext ctx, ErrorCode code, String message) {
    send(ctx.response(), code, message);
  }

  public static void send(HttpServerResponse response, ErrorCode code, String message) {
    if (response.ended()) {
      return;
    }
    response.setStatusCode(code.httpStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("code", code.wire()).put("message", message).encode());
  }

  /**
   * A failed relay request: 400/403/404 pass through; anything else (no relay, timeout, a relay
   * error) is 503 {@code unavailable}, the only server-side status PROTOCOL.md lists.
   */
  public static void sendBusFailure(RoutingContext ctx, Throwable failure, String what) {
    ErrorCode code = BusFailure.toErrorCode(failure);
    if (code == ErrorCode.INTERNAL) {
      send(ctx, ErrorCode.UNAVAILABLE, what + " failed, retry later");
    } else {
      send(ctx, code, what + " failed");
    }
  }

  /** For routes' failure handlers: a status set by vertx-web (e.g. 413 from a body limit). */
  public static void fromStatus(RoutingContext ctx) {
    int status = ctx.statusCode();
    ErrorCode code = switch (status) {
      case 400 -> ErrorCode.BAD_REQUEST;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 413 -> ErrorCode.TOO_LARGE;
      case 429 -> ErrorCode.RATE_LIMITED;
      default -> ErrorCode.UNAVAILABLE;
    };
    send(ctx, code, status == 413 ? "body too large" : "request failed");
  }
}
