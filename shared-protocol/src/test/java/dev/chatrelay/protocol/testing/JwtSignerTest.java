package dev.chatrelay.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JwtSignerTest {

  @Test
  void signsTheWellKnownExampleToken() {
    JsonObject claims = new JsonObject().put("sub", "1234567890").put("name", "John Doe")
        .put("iat", 1516239022);
    assertEquals("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        JwtSigner.hs256("your-256-bit-secret", claims));
    assertEquals(claims, JwtSigner.payload(JwtSigner.hs256("your-256-bit-secret", claims)));
  }

  @Test
  void anotherAlgorithmOrKeyGivesAnotherSignature() {
    JsonObject claims = new JsonObject().put("sub", "a");
    byte[] key = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
    String hs256 = JwtSigner.hmac(JwtSigner.header("HS256"), claims, "HmacSHA256", key);
    String hs512 = JwtSigner.hmac(JwtSigner.header("HS256"), claims, "HmacSHA512", key);
    assertNotEquals(hs256.split("\\.")[2], hs512.split("\\.")[2]);
    assertEquals(hs256, JwtSigner.hs256("k".repeat(32), claims));
  }
}
