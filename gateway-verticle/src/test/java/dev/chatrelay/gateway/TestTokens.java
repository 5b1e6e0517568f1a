package dev.chatrelay.gateway;

import dev.chatrelay.protocol.testing.JwtSigner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Builds JWTs for tests: well-formed ones and every kind of bad one. */
public final class TestTokens {

  public static final String SECRET = "test-secret-0123456789-abcdefghij";

  private TestTokens() {}

  /** An HS256 token signed with {@link #SECRET}, valid for an hour from {@code nowMs}. */
  public static String hs256(String sub, long nowMs) {
    return hs256(new JsonObject().put("sub", sub).put("exp", nowMs / 1000 + 3600));
  }

  public static String hs256(JsonObject claims) {
    return hmac("HS256", "HmacSHA256", SECRET, claims);
  }

  /** A token with any header {@code alg} signed by HMAC with {@code macAlgorithm} and {@code secret}. */
  public static String hmac(String alg, String macAlgorithm, String secret, JsonObject claims) {
    return JwtSigner.hmac(JwtSigner.header(alg), claims, macAlgorithm,
        secret.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code alg: none}: two segments, or three with {@code signature} as the last one. */
  public static String none(JsonObject claims, String signature) {
    String unsigned = segment(JwtSigner.header("none")) + "." + segment(claims);
    return signature == null ? unsigned : unsigned + "." + signature;
  }

  public static String segment(JsonObject json) {
    return JwtSigner.segment(json);
  }

  /** An RSA or EC (P-256) key pair with PEM texts and a signer for its algorithm. */
  public static final class KeyPairSigner {
    public final String algorithm;
    public final String publicPem;
    private final String privatePem;

    private KeyPairSigner(String algorithm, KeyPair pair) {
      this.algorithm = algorithm;
      this.publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
      this.privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    public static KeyPairSigner rs256() {
      try {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048, new SecureRandom(new byte[] {1}));
        return new KeyPairSigner("RS256", gen.generateKeyPair());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public static KeyPairSigner ec(String algorithm, String curve) {
      try {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec(curve));
        return new KeyPairSigner(algorithm, gen.generateKeyPair());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public static KeyPairSigner es256() {
      return ec("ES256", "secp256r1");
    }

    /** Signs with the private key through vertx-auth-jwt. */
    public String sign(Vertx vertx, JsonObject claims) {
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
          new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(privatePem)));
      return auth.generateToken(claims, new JWTOptions().setAlgorithm(algorithm));
    }

    private static String pem(String kind, byte[] der) {
      return "-----BEGIN " + kind + "-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END " + kind + "-----\n";
    }
  }

  /** Writes PEM texts into one file in {@code dir}. */
  public static Path pemFile(Path dir, String... pems) throws IOException {
    Path file = dir.resolve("keys.pem");
    Files.writeString(file, String.join("", pems), StandardCharsets.US_ASCII);
    return file;
  }
}
