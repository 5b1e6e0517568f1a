package dev.chatrelay.gateway.http;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.gateway.auth.TokenVerifier;
import dev.chatrelay.gateway.auth.VerifiedToken;
import dev.chatrelay.gateway.bus.RelayBus;
import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.wire.FieldRules;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The thread API of PROTOCOL.md: {@code GET /api/threads/{thread}/frames} (history) and
 * {@code POST /api/threads/{thread}/messages} (the HTTP twin of {@code send}).
 */
public final class ThreadsApi {

  private final BearerAuth auth;
  private final RelayBus relay;
  private final UserRateLimits limits;
  private final UserRateLimits sendQuota;

  /** {@code sendQuota}: the user's sends, shared with the WebSocket {@code send}. */
  public ThreadsApi(TokenVerifier verifier, RelayBus relay, UserRateLimits limits, UserRateLimits sendQuota) {
    this.auth = new BearerAuth(verifier);
    this.relay = relay;
    this.limits = limits;
    this.sendQuota = sendQuota;
  }

  /** The user's verified token when the request is within the user's rate; else answered 429. */
  private Future<VerifiedToken> admit(RoutingContext ctx) {
    return auth.authenticate(ctx).compose(token -> within(ctx, limits, token, "request rate"));
  }

  /** The token when {@code sub} is within {@code bucket}; else answered 429 with Retry-After. */
  private static Future<VerifiedToken> within(RoutingContext ctx, UserRateLimits bucket,
      VerifiedToken token, String what) {
    UserRateLimits.Decision decision = bucket.tryTake(token.sub());
    if (decision.allowed()) {
      return Future.succeededFuture(token);
    }
    ctx.response().putHeader("Retry-After", String.valueOf(decision.retryAfterSeconds()));
    HttpErrors.send(ctx, ErrorCode.RATE_LIMITED, "over the " + what + ", retry after "
        + decision.retryAfterSeconds() + " s");
    return Future.failedFuture("rate limited");
  }

  public void history(RoutingContext ctx) {
    admit(ctx).onSuccess(token -> {
      String thread = ctx.pathParam("thread");
      if (!FieldRules.isValidThread(thread)) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "invalid thread id");
        return;
      }
      Long after = parseNonNegative(ctx.queryParams().get("after"), 0);
      Long limit = parseNonNegative(ctx.queryParams().get("limit"), GatewayConfig.HISTORY_DEFAULT_LIMIT);
      if (after == null) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "after must be an integer >= 0");
        return;
      }
      if (limit == null || limit < 1) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "limit must be an integer >= 1");
        return;
      }
      int clamped = (int) Math.min(limit, GatewayConfig.HISTORY_MAX_LIMIT);
      relay.history(new HistoryQuery(new ThreadKey(token.sub(), thread), after, clamped))
          .onSuccess(page -> json(ctx, 200, page))
          .onFailure(e -> HttpErrors.sendBusFailure(ctx, e, "history"));
    });
  }

  public void postMessage(RoutingContext ctx) {
    admit(ctx).onSuccess(token -> {
      String thread = ctx.pathParam("thread");
      if (!FieldRules.isValidThread(thread)) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "invalid thread id");
        return;
      }
      JsonObject body = jsonBody(ctx);
      if (body == null) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "body must be a JSON object {id, text}");
        return;
      }
      if (!(body.getValue("id") instanceof String id) || !FieldRules.isValidClientId(id)) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "id must be 1-64 printable ASCII characters");
        return;
      }
      if (!(body.getValue("text") instanceof String text) || text.isEmpty()) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "text must be a non-empty string");
        return;
      }
      if (FieldRules.utf8Length(text) > FieldRules.MAX_TEXT_BYTES) {
        HttpErrors.send(ctx, ErrorCode.TOO_LARGE, "text is longer than " + FieldRules.MAX_TEXT_BYTES + " UTF-8 bytes");
        return;
      }
      if (within(ctx, sendQuota, token, "user's send rate").failed()) {
        return;
      }
      relay.send(new SendCommand(new ThreadKey(token.sub(), thread), id, text))
          .onSuccess(accepted -> json(ctx, 202,
              new JsonObject().put("id", id).put("thread", thread).put("seq", accepted.seq())))
          .onFailure(e -> HttpErrors.sendBusFailure(ctx, e, "send"));
    });
  }

  /** The parsed value, {@code fallback} when absent, null when not a whole number >= 0. */
  private static Long parseNonNegative(String raw, long fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw);
      return v < 0 ? null : v;
    } catch (NumberFormatException e) {
      return raw.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : null; // huge: clamp later
    }
  }

  /** The body as a JSON object, or null when absent, not JSON, or JSON but not an object. */
  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }
}
