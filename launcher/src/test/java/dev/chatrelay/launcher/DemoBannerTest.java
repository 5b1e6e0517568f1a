package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoBannerTest {

  private static final String SECRET = "banner-test-secret-banner-test-secret";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void demoTokenIsAnHs256TokenForDemoValidForADay() {
    String token = DemoBanner.demoToken(vertx, SECRET, "https://issuer.example", "chat");
    JsonObject header = decode(token.split("\\.")[0]);
    assertEquals("HS256", header.getString("alg"));

    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    auth.authenticate(new TokenCredentials(token)).await();
    JsonObject claims = decode(token.split("\\.")[1]);
    assertEquals("demo", claims.getString("sub"));
    assertEquals("https://issuer.example", claims.getString("iss"));
    long now = System.currentTimeMillis() / 1000;
    long exp = claims.getLong("exp");
    assertTrue(Math.abs(exp - (now + 24 * 3600)) < 60, "exp about 24 h ahead: " + exp);
  }

  @Test
  void bannerShowsPageSecretTokenAndCurl() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoBanner.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 8080, "sec", "tok");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("http://localhost:8080/"), text);
    assertTrue(text.contains("sec"), text);
    assertTrue(text.contains("demo token:   tok"), text);
    assertTrue(text.contains("curl -H 'Authorization: Bearer tok' "
        + "'http://localhost:8080/api/threads/demo/frames?after=0'"), text);
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
