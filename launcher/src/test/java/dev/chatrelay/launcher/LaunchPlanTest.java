package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.it.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPlanTest {

  private static JsonObject values(Map<String, String> env) {
    return LauncherConfig.defaultValues().mergeIn(new JsonObject(Map.copyOf(env)));
  }

  @Test
  void embeddedWithoutKeyGeneratesASecretAndDevTokens() {
    LaunchPlan plan = LaunchPlan.from(values(Map.of("RELAY_HTTP_PORT", "18080")));
    assertTrue(plan.launcher().embedded());
    assertNotNull(plan.generatedSecret());
    assertTrue(plan.generatedSecret().getBytes(StandardCharsets.UTF_8).length >= 32);
    assertEquals(plan.generatedSecret(), plan.source().raw("RELAY_JWT_HS256_SECRET"));
    assertEquals("true", plan.source().raw("RELAY_DEV_TOKENS"));
    assertNotNull(plan.gateway());
    assertNotNull(plan.relay());
    assertNotNull(plan.worker());
    assertNotNull(plan.journals());
  }

  @Test
  void generatedSecretsDiffer() {
    String a = EmbeddedMode.prepare(new JsonObject(), new SecureRandom()).generatedSecret();
    String b = EmbeddedMode.prepare(new JsonObject(), new SecureRandom()).generatedSecret();
    assertTrue(!a.equals(b));
  }

  @Test
  void explicitDevTokensSettingIsKept() {
    LaunchPlan plan = LaunchPlan.from(values(Map.of("RELAY_DEV_TOKENS", "false")));
    assertNotNull(plan.generatedSecret());
    assertEquals("false", plan.source().raw("RELAY_DEV_TOKENS"));
  }

  @Test
  void configuredKeyIsUsedAsIs(@TempDir Path dir) {
    LaunchPlan plan = LaunchPlan.from(values(Map.of("RELAY_JWT_HS256_SECRET", "s3cret-s3cret-s3cret-s3cret-s3cret")));
    assertNull(plan.generatedSecret());
    assertEquals("s3cret-s3cret-s3cret-s3cret-s3cret", plan.source().raw("RELAY_JWT_HS256_SECRET"));
    assertNull(plan.source().raw("RELAY_DEV_TOKENS"));

    // The gateway reads the key file when the plan is made, so it must be a real one.
    Path pem = Tokens.writePem(dir.resolve("keys.pem"), Tokens.ecKeys().getPublic());
    plan = LaunchPlan.from(values(Map.of("RELAY_JWT_PUBLIC_KEYS", pem.toString())));
    assertNull(plan.generatedSecret());
    assertNull(plan.source().raw("RELAY_JWT_HS256_SECRET"));
  }

  @Test
  void clusteredProcessGeneratesNothing() {
    LaunchPlan plan = LaunchPlan.from(values(Map.of("RELAY_ROLE", "worker",
        "RELAY_CLUSTER_MEMBERS", "127.0.0.1:5701")));
    assertNull(plan.generatedSecret());
    assertNull(plan.gateway());
    assertNull(plan.relay());
    assertNull(plan.journals());
    assertNotNull(plan.worker());
  }

  @Test
  void redisJournalSettingsAreCheckedWhenThePlanIsMade() {
    assertNotNull(LaunchPlan.from(values(Map.of("RELAY_REDIS_URL", "redis://127.0.0.1:6379/0")))
        .journals());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> LaunchPlan.from(values(Map.of("RELAY_REDIS_URL", "http://127.0.0.1:6379"))));
    assertTrue(e.getMessage().contains("RELAY_REDIS_URL"), e.getMessage());
  }
}
