package dev.chatrelay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.worker.WorkerConfig.EngineKind;
import dev.chatrelay.worker.engine.ModelConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  @Test
  void emptySourceGivesTheDefaults() {
    assertEquals(WorkerConfig.defaults(), WorkerConfig.from(ConfigSource.of(Map.of())));
    WorkerConfig defaults = WorkerConfig.defaults();
    assertEquals(8, defaults.scriptedChunks());
    assertEquals(50, defaults.scriptedDelayMs());
    assertEquals(64, defaults.shards());
    assertEquals(EngineKind.SCRIPTED, defaults.engine());
    assertEquals(10_000, defaults.jobLeaseMs());
    assertEquals(3_333, defaults.aliveIntervalMs());
  }

  @Test
  void readsEveryVariable() {
    WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.ofEntries(
        Map.entry("RELAY_SCRIPTED_CHUNKS", "3"),
        Map.entry("RELAY_SCRIPTED_DELAY_MS", "0"),
        Map.entry("RELAY_SHARDS", "16"),
        Map.entry("RELAY_ENGINE", "openai"),
        Map.entry("RELAY_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/"),
        Map.entry("RELAY_OPENAI_API_KEY", "k"),
        Map.entry("RELAY_OPENAI_MODEL", "m"),
        Map.entry("RELAY_OPENAI_TIMEOUT_MS", "1234"),
        Map.entry("RELAY_OPENAI_SYSTEM_PROMPT", "be brief"),
        Map.entry("RELAY_JOB_LEASE_MS", "900"),
        Map.entry("RELAY_WORKER_CONCURRENCY", "7"),
        Map.entry("RELAY_BUS_TIMEOUT_MS", "2000"),
        Map.entry("RELAY_BUS_RETRY_MS", "20"),
        Map.entry("RELAY_BUS_ATTEMPT_TIMEOUT_MS", "700"),
        Map.entry("RELAY_OPENAI_CONTEXT_MESSAGES", "6"),
        Map.entry("RELAY_OPENAI_CONTEXT_CHARS", "5000"),
        Map.entry("RELAY_OPENAI_CONCURRENCY", "3"),
        Map.entry("RELAY_OPENAI_DEADLINE_MS", "9000"),
        Map.entry("RELAY_OPENAI_RETRY_BUDGET_MS", "4000"),
        Map.entry("RELAY_OPENAI_RETRY_BASE_MS", "10"),
        Map.entry("RELAY_OPENAI_RETRY_MAX_MS", "80"),
        Map.entry("RELAY_OPENAI_MAX_RETRIES", "2"),
        Map.entry("RELAY_OPENAI_INCLUDE_USAGE", "false"))));
    assertEquals(new WorkerConfig(3, 0, 16, EngineKind.OPENAI, "http://127.0.0.1:11434/v1/", "k",
        "m", 1234, "be brief", 900, 7, 2000, 20, 700,
        new ModelConfig(6, 5000, 3, 9000, 4000, 10, 80, 2, false)), config);
    assertEquals(300, config.aliveIntervalMs());
  }

  @Test
  void openAiWithoutBaseUrlOrModelFailsNamingTheVariable() {
    Exception noUrl = assertThrows(IllegalArgumentException.class, () -> WorkerConfig.from(
        ConfigSource.of(Map.of("RELAY_ENGINE", "openai", "RELAY_OPENAI_MODEL", "m"))));
    assertTrue(noUrl.getMessage().contains("RELAY_OPENAI_BASE_URL"), noUrl.getMessage());
    Exception noModel = assertThrows(IllegalArgumentException.class, () -> WorkerConfig.from(
        ConfigSource.of(Map.of("RELAY_ENGINE", "openai", "RELAY_OPENAI_BASE_URL", "http://h/v1"))));
    assertTrue(noModel.getMessage().contains("RELAY_OPENAI_MODEL"), noModel.getMessage());
  }

  @Test
  void invalidValuesFailNamingTheVariable() {
    assertNamed("RELAY_ENGINE", Map.of("RELAY_ENGINE", "gpt"));
    assertNamed("RELAY_OPENAI_BASE_URL", Map.of("RELAY_OPENAI_BASE_URL", "ftp://host/v1"));
    assertNamed("RELAY_OPENAI_CONTEXT_MESSAGES", Map.of("RELAY_OPENAI_CONTEXT_MESSAGES", "0"));
    assertNamed("RELAY_OPENAI_RETRY_MAX_MS",
        Map.of("RELAY_OPENAI_RETRY_BASE_MS", "100", "RELAY_OPENAI_RETRY_MAX_MS", "50"));
    assertNamed("RELAY_OPENAI_INCLUDE_USAGE", Map.of("RELAY_OPENAI_INCLUDE_USAGE", "maybe"));
    assertNamed("RELAY_SCRIPTED_CHUNKS", Map.of("RELAY_SCRIPTED_CHUNKS", "0"));
    assertNamed("RELAY_SCRIPTED_DELAY_MS", Map.of("RELAY_SCRIPTED_DELAY_MS", "-1"));
    assertNamed("RELAY_WORKER_CONCURRENCY", Map.of("RELAY_WORKER_CONCURRENCY", "many"));
  }

  @Test
  void baseUrlMustIncludeTheVersionPath() {
    assertTrue(WorkerConfig.isVersionedBaseUrl("https://api.openai.com/v1"));
    assertTrue(WorkerConfig.isVersionedBaseUrl("http://127.0.0.1:11434/v1/"));
    assertTrue(WorkerConfig.isVersionedBaseUrl("https://openrouter.ai/api/v1"));
    for (String bare : List.of("http://127.0.0.1:8000", "http://127.0.0.1:8000/",
        "http://h/v1/chat/completions", "http://h/v1?x=1")) {
      assertFalse(WorkerConfig.isVersionedBaseUrl(bare), bare);
      assertNamed("RELAY_OPENAI_BASE_URL", Map.of("RELAY_OPENAI_BASE_URL", bare));
    }
  }

  @Test
  void scriptedEngineIgnoresMissingOpenAiSettings() {
    WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.of("RELAY_ENGINE", "scripted")));
    assertNull(config.openAiBaseUrl());
  }

  private static void assertNamed(String variable, Map<String, String> values) {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> WorkerConfig.from(ConfigSource.of(values)));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }
}
