package dev.chatrelay.gateway.auth;

import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.protocol.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Verifies JWTs: vertx-auth-jwt checks the signature with the configured keys; this class
 * first refuses any {@code alg} not configured (never {@code none}, whatever the library
 * would do) and then applies {@link ClaimRules} with the injected clock, so expiry is testable
 * and the library's own time checks (system clock) are switched off.
 */
public final class TokenVerifier {

  private final JWTAuth jwt;
  private final Set<String> algorithms;
  private final ClaimRules claims;
  private final Clock clock;

  public TokenVerifier(Vertx vertx, GatewayConfig config, Clock clock) {
    JWTAuthOptions options = new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true).setLeeway(0));
    Set<String> algs = new LinkedHashSet<>();
    if (config.hs256Secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
          .setBuffer(Buffer.buffer(config.hs256Secret().getBytes(StandardCharsets.UTF_8))));
      algs.add("HS256");
    }
    for (PublicKeyPem key : config.publicKeys()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.algorithm()).setBuffer(key.pem()));
      algs.add(key.algorithm());
    }
    this.jwt = JWTAuth.create(vertx, options);
    this.algorithms = Set.copyOf(algs);
    this.claims = new ClaimRules(config.jwtIssuer(), config.jwtAudience(), config.jwtLeewayMs());
    this.clock = clock;
  }

  /** The configured algorithms, e.g. [HS256, RS256]. */
  public Set<String> algorithms() {
    return algorithms;
  }

  /** Fails with {@link InvalidTokenException} for a missing, malformed, unsigned or invalid token. */
  public Future<VerifiedToken> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(new InvalidTokenException("no token"));
    }
    String alg;
    try {
      alg = headerAlgorithm(token);
    } catch (InvalidTokenException e) {
      return Future.failedFuture(e);
    }
    if (!algorithms.contains(alg)) {
      return Future.failedFuture(new InvalidTokenException("algorithm not accepted: " + LogSafe.of(alg)));
    }
    Future<User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // The library throws, instead of failing the future, on claims of the wrong type (exp: "x").
      authenticated = Future.failedFuture(e);
    }
    return authenticated
        // The library's messages may quote decoded token parts: only the failure's kind is kept.
        .recover(e -> Future.failedFuture(new InvalidTokenException(
            "invalid signature or payload (" + e.getClass().getSimpleName() + ")")))
        .compose(user -> {
          try {
            JsonObject payload = user.attributes().getJsonObject("accessToken");
            return Future.succeededFuture(claims.check(payload, clock.millis()));
          } catch (InvalidTokenException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** Signs {@code payload} with HS256; only for the dev token endpoint. */
  public String signHs256(JsonObject payload) {
    if (!algorithms.contains("HS256")) {
      throw new IllegalStateException("no HS256 secret configured");
    }
    return jwt.generateToken(payload, new JWTOptions().setAlgorithm("HS256"));
  }

  /** The {@code alg} of a compact JWS with three segments; anything else is malformed. */
  private static String headerAlgorithm(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw new InvalidTokenException("not a signed JWT");
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]),
          StandardCharsets.UTF_8));
      if (header.getValue("alg") instanceof String alg) {
        return alg;
      }
    } catch (RuntimeException e) {
      throw new InvalidTokenException("malformed JWT header");
    }
    throw new InvalidTokenException("JWT header without alg");
  }
}
