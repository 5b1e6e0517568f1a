package dev.chatrelay.loadgen.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HmacJwtTest {

  private static final String SECRET = "a-test-secret-of-some-length";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JWTAuth verifier(String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  @Test
  void tokenVerifiesWithAnIndependentJwtLibrary() {
    long now = System.currentTimeMillis() / 1000;
    String token = new HmacJwt(SECRET).sign("user-1", now, now + 600);
    User user = verifier(SECRET).authenticate(new TokenCredentials(token)).await();
    assertEquals("user-1", user.principal().getString("sub"));
    assertEquals(now + 600, user.attributes().getJsonObject("accessToken").getLong("exp"));
  }

  @Test
  void anotherSecretDoesNotVerify() {
    long now = System.currentTimeMillis() / 1000;
    String token = new HmacJwt(SECRET).sign("user-1", now, now + 600);
    assertTrue(awaitFailed(verifier("other-secret"), token));
    assertFalse(new HmacJwt("other-secret").verify(token));
  }

  @Test
  void ownVerifyAcceptsOwnTokensAndRejectsTampering() {
    HmacJwt jwt = new HmacJwt(SECRET);
    String token = jwt.sign("user-1", 1, 2);
    assertTrue(jwt.verify(token));
    String tampered = token.substring(0, token.indexOf('.') + 1) + "eyJzdWIiOiJ4In0" + token.substring(token.lastIndexOf('.'));
    assertFalse(jwt.verify(tampered));
    assertEquals("user-1", new JsonObject(HmacJwt.payloadJson(token)).getString("sub"));
  }

  private static boolean awaitFailed(JWTAuth auth, String token) {
    try {
      auth.authenticate(new TokenCredentials(token)).await();
      return false;
    } catch (Exception e) { // await rethrows the failure as is, e.g. a SignatureException
      return true;
    }
  }
}
