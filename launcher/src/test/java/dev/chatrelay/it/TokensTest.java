package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's hand-made tokens are what they claim to be, judged by vertx-auth-jwt. */
class TokensTest {

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN PUBLIC KEY-----\\n([A-Za-z0-9+/=\\n]+)-----END PUBLIC KEY-----");

  private final Vertx vertx = Vertx.vertx();
  private final Tokens tokens = Tokens.standard();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JWTAuth hs256() {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setLeeway(5))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Tokens.SECRET)));
  }

  private static boolean accepted(JWTAuth auth, String token) {
    try {
      auth.authenticate(new TokenCredentials(token)).await();
      return true;
    } catch (Exception e) { // await rethrows checked failures such as SignatureException
      return false;
    }
  }

  @Test
  void validHs256TokenVerifies() {
    String token = tokens.valid("alice");
    assertTrue(accepted(hs256(), token));
    assertEquals("alice", Tokens.payload(token).getString("sub"));
    assertTrue(Tokens.payload(token).getLong("exp") > Tokens.nowSeconds());
  }

  @Test
  void badSignaturesAlgorithmsAndTimesAreRefused() {
    JWTAuth auth = hs256();
    assertFalse(accepted(auth, tokens.algNone("alice")), "alg none");
    assertFalse(accepted(auth, tokens.wrongKey("alice")), "wrong key");
    assertFalse(accepted(auth, tokens.expired("alice")), "expired");
    assertFalse(accepted(auth, tokens.notYetValid("alice")), "nbf");
    assertFalse(accepted(auth, tokens.tampered("alice")), "tampered");
    assertFalse(accepted(auth, Tokens.garbage()), "garbage");
  }

  @Test
  void missingClaimsAreReallyMissingButSigned() {
    assertFalse(Tokens.payload(tokens.noSub()).containsKey("sub"));
    assertFalse(Tokens.payload(tokens.noExp("alice")).containsKey("exp"));
    // Correctly signed: only the claim check can refuse them.
    assertTrue(accepted(hs256(), tokens.noSub()));
    assertTrue(accepted(hs256(), tokens.noExp("alice")));
  }

  @Test
  void rs256AndEs256VerifyAgainstThePemFile() throws IOException {
    KeyPair rsa = Tokens.rsaKeys();
    KeyPair ec = Tokens.ecKeys();
    Path pem = Tokens.writePem(dir.resolve("keys.pem"), rsa.getPublic(), ec.getPublic());
    String text = Files.readString(pem);
    Matcher blocks = PEM_BLOCK.matcher(text);
    assertTrue(blocks.find());
    String rsaKey = blocks.group(1).replace("\n", "");
    assertTrue(blocks.find());
    String ecKey = blocks.group(1).replace("\n", "");

    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(
            "-----BEGIN PUBLIC KEY-----\n" + rsaKey + "\n-----END PUBLIC KEY-----\n"))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(
            "-----BEGIN PUBLIC KEY-----\n" + ecKey + "\n-----END PUBLIC KEY-----\n")));
    long exp = Tokens.nowSeconds() + 600;
    assertTrue(accepted(auth, Tokens.rs256(rsa, Tokens.claims("rita", exp))), "RS256");
    assertTrue(accepted(auth, Tokens.es256(ec, Tokens.claims("eve", exp))), "ES256");
    assertFalse(accepted(auth, Tokens.rs256(Tokens.rsaKeys(), Tokens.claims("rita", exp))),
        "RS256 from another key");
    assertFalse(accepted(auth, tokens.valid("alice")), "HS256 is not configured there");
  }

  @Test
  void badKindsAreAllDistinct() {
    var kinds = tokens.badKinds("alice");
    assertEquals(kinds.size(), kinds.stream().map(Tokens.Bad::token).distinct().count());
  }
}
