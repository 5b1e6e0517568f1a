package dev.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.gateway.TestTokens.KeyPairSigner;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

  private static final String SECRET = "s3cret-s3cret-s3cret-s3cret-s3cret";

  @TempDir
  Path dir;

  private static GatewayConfig from(Map<String, Object> values) {
    return GatewayConfig.from(ConfigSource.of(values));
  }

  private static Map<String, Object> withSecret(Object... pairs) {
    Map<String, Object> m = new HashMap<>();
    m.put(GatewayConfig.JWT_HS256_SECRET, SECRET);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsAreThoseOfTheProtocol() {
    GatewayConfig c = from(withSecret());
    assertEquals(8080, c.httpPort());
    assertEquals(25_000, c.heartbeatMs());
    assertEquals(5_000, c.helloTimeoutMs());
    assertEquals(60_000, c.tokenExpiringMs());
    assertEquals(65_536, c.maxFrameBytes());
    assertEquals(5_000, c.jwtLeewayMs());
    assertEquals(64, c.shards());
    assertEquals(50, c.rateLimitPerS());
    assertEquals(100, c.rateLimitBurst());
    assertEquals(5_000, c.rateLimitCloseMs());
    assertEquals(List.of("http://localhost:8080", "http://127.0.0.1:8080"), c.allowedOrigins());
    assertFalse(c.devTokens());
    assertNull(c.adminToken());
    assertEquals(1_000, c.sweepIntervalMs());
    assertEquals(15_000, c.busTimeoutMs());
    assertEquals(2_000, c.busAttemptMs());
  }

  @Test
  void defaultOriginsFollowThePort() {
    assertEquals(List.of("http://localhost:9000", "http://127.0.0.1:9000"),
        from(withSecret(GatewayConfig.HTTP_PORT, "9000")).allowedOrigins());
  }

  @Test
  void originsAreNormalisedAndStarAllowsAll() {
    GatewayConfig c = from(withSecret(GatewayConfig.ALLOWED_ORIGINS, " https://App.Example/ ,http://x:1"));
    assertEquals(List.of("https://app.example", "http://x:1"), c.allowedOrigins());
    assertFalse(c.allowsAnyOrigin());
    assertTrue(from(withSecret(GatewayConfig.ALLOWED_ORIGINS, "*")).allowsAnyOrigin());
  }

  @Test
  void withoutAnyJwtKeyItFailsNamingBothVariables() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> from(Map.of()));
    assertTrue(e.getMessage().contains("RELAY_JWT_HS256_SECRET"));
    assertTrue(e.getMessage().contains("RELAY_JWT_PUBLIC_KEYS"));
  }

  @Test
  void invalidValuesFailNamingTheVariable() {
    Map<String, String> bad = Map.of(
        GatewayConfig.HEARTBEAT_MS, "soon",
        GatewayConfig.HTTP_PORT, "70000",
        GatewayConfig.DEV_TOKENS, "maybe",
        GatewayConfig.MAX_FRAME_BYTES, "10",
        GatewayConfig.SHARDS, "0",
        GatewayConfig.ALLOWED_ORIGINS, " , ",
        GatewayConfig.RATE_LIMIT_PER_S, "-5");
    bad.forEach((name, value) -> {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> from(withSecret(name, value)));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    });
  }

  @Test
  void clientLimitsDefaultToTheProtocolsLimits() {
    ClientLimits l = from(withSecret()).limits();
    assertEquals(256, l.maxSubscriptions());
    assertEquals(32, l.maxConnectionsPerUser());
    assertEquals(1 << 20, l.outputBufferBytes());
    assertEquals(30_000, l.slowConsumerMs());
    assertEquals(10_000, l.upgradeTimeoutMs());
    assertEquals(75_000, l.keepAliveMs());
    assertEquals(10, l.sendRatePerS());
    assertEquals(20, l.sendBurst());
    assertEquals(7, from(withSecret(ClientLimits.MAX_SUBSCRIPTIONS, "7")).limits().maxSubscriptions());
  }

  @Test
  void anHs256SecretUnder32BytesRefusesToStartNamingTheVariable() {
    for (String weak : List.of("too-short-secret", "x".repeat(31), "\u00e9".repeat(15))) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> from(Map.of(GatewayConfig.JWT_HS256_SECRET, weak)));
      assertTrue(e.getMessage().contains(GatewayConfig.JWT_HS256_SECRET), e.getMessage());
      assertFalse(e.getMessage().contains(weak), "the weak secret is not echoed: " + e.getMessage());
    }
    assertEquals("x".repeat(32), from(Map.of(GatewayConfig.JWT_HS256_SECRET, "x".repeat(32))).hs256Secret());
    // 16 two-byte characters are 32 UTF-8 bytes: long enough.
    assertEquals(16, from(Map.of(GatewayConfig.JWT_HS256_SECRET, "\u00e9".repeat(16))).hs256Secret().length());
  }

  @Test
  void invalidLimitsFailNamingTheVariable() {
    for (String name : List.of(ClientLimits.MAX_SUBSCRIPTIONS, ClientLimits.MAX_CONNECTIONS_PER_USER,
        ClientLimits.OUTPUT_BUFFER_BYTES, ClientLimits.UPGRADE_TIMEOUT_MS, ClientLimits.KEEPALIVE_TIMEOUT_MS,
        ClientLimits.SEND_RATE_PER_S,
        ClientLimits.SEND_BURST, ClientLimits.SLOW_CONSUMER_MS)) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> from(withSecret(name, "0")));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void secretsNeverShowInToString() {
    String s = from(withSecret(GatewayConfig.ADMIN_TOKEN, "adm1n-t0ken")).toString();
    assertFalse(s.contains(SECRET));
    assertFalse(s.contains("adm1n-t0ken"));
    assertTrue(s.contains("hs256Secret=set"));
  }

  @Test
  void defaultsHaveARandomSecret() {
    assertTrue(GatewayConfig.defaults().hs256Secret().length() >= 32);
    assertFalse(GatewayConfig.defaults().hs256Secret().equals(GatewayConfig.defaults().hs256Secret()));
  }

  @Test
  void sweepFollowsTheShortestTimeout() {
    GatewayConfig c = from(withSecret(GatewayConfig.HEARTBEAT_MS, "200", GatewayConfig.HELLO_TIMEOUT_MS, "1000"));
    assertEquals(50, c.sweepIntervalMs());
    assertEquals(GatewayConfig.MIN_SWEEP_MS, from(withSecret(GatewayConfig.HEARTBEAT_MS, "10")).sweepIntervalMs());
  }

  @Test
  void devTokenEndpointNeedsAnHs256Secret() throws IOException {
    assertTrue(from(withSecret(GatewayConfig.DEV_TOKENS, "true")).devTokenEndpointEnabled());
    Path pem = TestTokens.pemFile(dir, KeyPairSigner.es256().publicPem);
    GatewayConfig keysOnly = from(Map.of(GatewayConfig.JWT_PUBLIC_KEYS, pem.toString(), GatewayConfig.DEV_TOKENS, "true"));
    assertFalse(keysOnly.devTokenEndpointEnabled());
  }

  @Test
  void publicKeyFileMayHoldRsaAndP256Keys() throws IOException {
    Path pem = TestTokens.pemFile(dir, KeyPairSigner.rs256().publicPem, KeyPairSigner.es256().publicPem);
    GatewayConfig c = from(Map.of(GatewayConfig.JWT_PUBLIC_KEYS, pem.toString()));
    assertEquals(List.of("RS256", "ES256"), c.publicKeys().stream().map(k -> k.algorithm()).toList());
    assertNull(c.hs256Secret());
  }

  @Test
  void unusablePublicKeyFilesFailNamingTheVariable() throws IOException {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a key");
    Path p384 = dir.resolve("p384.pem");
    Files.writeString(p384, KeyPairSigner.ec("ES384", "secp384r1").publicPem);
    Path privateOnly = dir.resolve("private.pem");
    Files.writeString(privateOnly, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    for (Path p : List.of(dir.resolve("missing.pem"), garbage, p384, privateOnly)) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> from(Map.of(GatewayConfig.JWT_PUBLIC_KEYS, p.toString())), p.toString());
      assertTrue(e.getMessage().contains("RELAY_JWT_PUBLIC_KEYS"), e.getMessage());
    }
  }
}
