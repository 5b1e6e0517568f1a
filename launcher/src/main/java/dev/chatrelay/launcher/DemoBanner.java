package dev.chatrelay.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.PrintStream;

/** What the embedded run prints for a first try: demo page, secret, a demo token, curl lines. */
final class DemoBanner {

  /** Subject of the printed demo token. */
  static final String DEMO_SUB = "demo";
  /** Lifetime of the printed demo token: a day of trying things out. */
  static final int DEMO_TOKEN_SECONDS = 24 * 60 * 60;

  private DemoBanner() {}

  static String demoToken(Vertx vertx, String secret, String issuer, String audience) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    JWTOptions options = new JWTOptions().setAlgorithm("HS256")
        .setExpiresInSeconds(DEMO_TOKEN_SECONDS);
    if (issuer != null) {
      options.setIssuer(issuer);
    }
    if (audience != null) {
      options.addAudience(audience);
    }
    return auth.generateToken(new JsonObject().put("sub", DEMO_SUB), options);
  }

  static void print(PrintStream out, int httpPort, String secret, String token) {
    String base = "http://localhost:" + httpPort;
    out.println();
    out.println("chat-relay embedded: every role in one JVM, in-memory journal");
    out.println("  demo page:    " + base + "/");
    out.println("  HS256 secret: " + secret + "   (set RELAY_JWT_HS256_SECRET to keep it)");
    out.println("  demo token:   " + token + "   (sub " + DEMO_SUB + ", 24 h)");
    out.println("  history:      curl -H 'Authorization: Bearer " + token + "' '" + base
        + "/api/threads/demo/frames?after=0'");
    out.println("  post:         curl -H 'Authorization: Bearer " + token + "' -H 'Content-Type: "
        + "application/json' -d '{\"id\":\"m1\",\"text\":\"hello\"}' " + base
        + "/api/threads/demo/messages");
    out.println("  more tokens:  curl -H 'Content-Type: application/json' -d '{\"sub\":\"alice\"}' "
        + base + "/dev/token");
    out.println();
  }
}
