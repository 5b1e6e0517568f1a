package dev.chatrelay.gateway.http;

import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.gateway.auth.TokenVerifier;
import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /dev/token} {@code {"sub"?}} → {@code {token, sub, exp}}: HS256 tokens for the
 * demo page. Only on when {@code RELAY_DEV_TOKENS=true} and an HS256 secret is configured
 * (the route is not even registered otherwise: 404). Anyone who can reach it can act as any
 * user, so it is for embedded/dev mode only, and answers only requests straight from loopback
 * without a {@code Forwarded} / {@code X-Forwarded-For} header (else 404, PROTOCOL.md Limits).
 */
public final class DevTokenApi {

  private static final Logger log = LoggerFactory.getLogger(DevTokenApi.class);
  /** Longest sub a caller may ask for. */
  private static final int MAX_SUB_CHARS = 256;

  private final TokenVerifier signer;
  private final long ttlSeconds;
  private final String issuer;
  private final String audience;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public DevTokenApi(TokenVerifier signer, long ttlSeconds, String issuer, String audience, Clock clock) {
    this.signer = signer;
    this.ttlSeconds = ttlSeconds;
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
  }

  public void issue(RoutingContext ctx) {
    if (!directLoopback(ctx.request())) {
      // PROTOCOL.md Limits: a proxy in front (even a local sidecar) makes every caller look local.
      log.info("event=dev_token.refused remote={}", LogSafe.of(ctx.request().connection().remoteAddress()));
      HttpErrors.send(ctx, ErrorCode.NOT_FOUND, "not found");
      return;
    }
    String sub;
    if (ctx.body().isEmpty()) { // no body at all: a random demo user
      sub = randomSub();
    } else {
      JsonObject body = ThreadsApi.jsonBody(ctx);
      if (body == null) {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "body must be a JSON object {sub?}");
        return;
      }
      Object requested = body.getValue("sub");
      if (requested == null) {
        sub = randomSub();
      } else if (requested instanceof String s && !s.isEmpty() && s.length() <= MAX_SUB_CHARS
          && s.indexOf('\u0000') < 0) {
        sub = s;
      } else {
        HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "sub must be a non-empty string of at most "
            + MAX_SUB_CHARS + " characters");
        return;
      }
    }
    long now = clock.millis() / 1000;
    long exp = now + ttlSeconds;
    JsonObject claims = new JsonObject().put("sub", sub).put("iat", now).put("exp", exp);
    if (issuer != null) {
      claims.put("iss", issuer);
    }
    if (audience != null) {
      claims.put("aud", audience);
    }
    log.info("event=dev_token.issued sub={} exp={}", LogSafe.of(sub), exp);
    ThreadsApi.json(ctx, 200, new JsonObject().put("token", signer.signHs256(claims))
        .put("sub", sub).put("exp", exp));
  }

  /**
   * True for a request whose TCP peer is a loopback address and that names no forwarded client
   * ({@code Forwarded}, {@code X-Forwarded-For}): a request that came straight from this host.
   */
  static boolean directLoopback(HttpServerRequest request) {
    if (request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null) {
      return false;
    }
    SocketAddress peer = request.connection().remoteAddress();
    if (peer == null || !peer.isInetSocket() || peer.hostAddress() == null) {
      return false;
    }
    try {
      // An IP literal: parsed, never looked up.
      return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private String randomSub() {
    byte[] bytes = new byte[6];
    random.nextBytes(bytes);
    return "demo-" + HexFormat.of().formatHex(bytes);
  }
}
