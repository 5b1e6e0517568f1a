package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** RS256/ES256 from a PEM file with issuer and audience configured; HS256 then not accepted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublicKeyAuthIT {

  private static final String ISSUER = "https://issuer.test";
  private static final String AUDIENCE = "chat-relay";

  private final KeyPair rsa = Tokens.rsaKeys();
  private final KeyPair ec = Tokens.ecKeys();
  private Path pem;
  private TestSystem system;

  @BeforeAll
  void start() {
    try {
      pem = Tokens.writePem(Files.createTempFile("relay-keys", ".pem"), rsa.getPublic(),
          ec.getPublic());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    system = TestSystem.configure()
        .unset("RELAY_JWT_HS256_SECRET")
        .set("RELAY_JWT_PUBLIC_KEYS", pem.toString())
        .set("RELAY_JWT_ISSUER", ISSUER)
        .set("RELAY_JWT_AUDIENCE", AUDIENCE)
        .start();
  }

  @AfterAll
  void stop() throws IOException {
    system.close();
    Files.deleteIfExists(pem);
  }

  private static JsonObject claims(String sub) {
    return Tokens.claims(sub, Tokens.nowSeconds() + 600).put("iss", ISSUER).put("aud", AUDIENCE);
  }

  private void assertWelcome(String token) {
    try (WsTestClient client = system.connect()) {
      client.hello(token);
    }
  }

  private void assertRefused(String token, String what) {
    try (WsTestClient client = system.connect()) {
      client.send(Commands.hello(token));
      assertEquals(4401, client.awaitClose(), what);
    }
  }

  @Test
  void rs256AndEs256FromTheKeyFileAreAccepted() {
    assertWelcome(Tokens.rs256(rsa, claims("pk-rsa")));
    assertWelcome(Tokens.es256(ec, claims("pk-ec")));
  }

  @Test
  void historyApiAcceptsThemToo() {
    String token = Tokens.rs256(rsa, claims("pk-http"));
    JsonObject page = system.api().page(token, "pk", null, null);
    assertEquals(0, page.getLong("head"));
  }

  @Test
  void otherKeysAlgorithmsIssuersAndAudiencesAreRefused() {
    assertRefused(Tokens.rs256(Tokens.rsaKeys(), claims("pk")), "RS256, unknown key");
    assertRefused(Tokens.es256(Tokens.ecKeys(), claims("pk")), "ES256, unknown key");
    assertRefused(Tokens.rs256(rsa, claims("pk").put("iss", "https://other.test")), "issuer");
    assertRefused(Tokens.rs256(rsa, claims("pk").put("aud", "other")), "audience");
    assertRefused(Tokens.rs256(rsa, claims("pk").put("exp", Tokens.nowSeconds() - 60)),
        "expired");
    assertRefused(Tokens.standard().hs256(claims("pk")), "HS256 is not configured");
    assertRefused(Tokens.sign(Tokens.header("HS256"), claims("pk"),
        Files.exists(pem) ? read(pem) : new byte[0]), "HS256 keyed with the public key file");
    assertRefused(Tokens.encodeUnsigned(claims("pk")), "alg none");
  }

  private static byte[] read(Path file) {
    try {
      return Files.readString(file).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
