package dev.chatrelay.gateway.http;

import dev.chatrelay.gateway.auth.BearerToken;
import dev.chatrelay.gateway.auth.TokenVerifier;
import dev.chatrelay.gateway.auth.VerifiedToken;
import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** The user of an HTTP API request, from its {@code Authorization: Bearer} JWT. */
final class BearerAuth {

  private final TokenVerifier verifier;

  BearerAuth(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** The verified token; on failure the 401 answer is already sent. */
  Future<VerifiedToken> authenticate(RoutingContext ctx) {
    String token = BearerToken.from(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    return verifier.verify(token).onFailure(e ->
        HttpErrors.send(ctx, ErrorCode.UNAUTHORIZED, "missing or invalid bearer token"));
  }
}
