package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar relay.jar} with {@code RELAY_LOG_FORMAT=json} (from the environment or the
 * JSON config file) writes its logs as JSON lines, up to READY and after, with the production
 * logback.xml.
 */
class JsonLogsProcessTest {

  /** A cold JVM on two busy cores; only bounds a hang. */
  private static final long START_TIMEOUT_S = 90;

  @Test
  void everyLineIsJsonWhenTheEnvironmentAsksForItAndUnknownNamesAreWarnedAbout() throws Exception {
    List<String> lines = runUntilReady(Map.of("RELAY_LOG_FORMAT", "json",
        "RELAY_NOT_A_SETTING_MS", "5"));
    List<JsonObject> objects = new ArrayList<>();
    for (String line : lines) {
      objects.add(parse(line, lines));
    }
    assertReady(objects, lines);
    JsonObject unknown = objects.stream()
        .filter(o -> "config.unknown_variable".equals(o.getString("event"))).findFirst()
        .orElseThrow(() -> new AssertionError("no warning:\n" + String.join("\n", lines)));
    assertEquals("RELAY_NOT_A_SETTING_MS", unknown.getString("name"));
    assertEquals("WARN", unknown.getString("level"));
  }

  @Test
  void theConfigFileSwitchesToJsonBeforeTheRolesStart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("relay.json");
    Files.writeString(file, "{\"RELAY_LOG_FORMAT\": \"json\"}");
    List<String> lines = runUntilReady(Map.of("RELAY_CONFIG_FILE", file.toString()));
    List<JsonObject> objects = new ArrayList<>();
    for (String line : lines) {
      if (line.contains("event=system.starting") || !objects.isEmpty()) {
        objects.add(parse(line, lines)); // from the first role-starting event on, all JSON
      }
    }
    assertTrue(!objects.isEmpty(), String.join("\n", lines));
    assertReady(objects, lines);
  }

  private static void assertReady(List<JsonObject> objects, List<String> lines) {
    // Embedded start: system.starting, role.started (relay, worker, gateway), READY at least.
    assertTrue(objects.size() >= 5, String.join("\n", lines));
    JsonObject ready = objects.stream()
        .filter(o -> "system.ready".equals(o.getString("event"))).findFirst()
        .orElseThrow(() -> new AssertionError("no system.ready:\n" + String.join("\n", lines)));
    assertEquals("all", ready.getString("role"));
    assertTrue(ready.getString("msg").startsWith("READY http://localhost:"), ready.encode());
    assertEquals("INFO", ready.getString("level"));
    for (JsonObject o : objects) {
      assertTrue(o.containsKey("ts") && o.containsKey("level") && o.containsKey("msg"),
          o.encode());
    }
  }

  private static JsonObject parse(String line, List<String> all) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      return fail("not a JSON line: [" + line + "]\n" + String.join("\n", all));
    }
  }

  /** Starts Main, waits for READY, stops it with SIGTERM; every stdout line, in order. */
  private static List<String> runUntilReady(Map<String, String> env) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // The production logback.xml (main resources), not the tests' logback-test.xml.
    ProcessBuilder builder = new ProcessBuilder(java.toString(),
        "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
        Main.class.getName());
    builder.environment().keySet().removeIf(key -> key.startsWith("RELAY_"));
    Map<String, String> all = new HashMap<>(env);
    all.put("RELAY_HTTP_PORT", String.valueOf(FreePorts.find()));
    all.put("RELAY_JWT_HS256_SECRET", "json-logs-process-test-secret-0123456789");
    all.put("RELAY_GATEWAY_INSTANCES", "1");
    builder.environment().putAll(all);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
          if (line.contains("READY")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.complete(null);
    }, "json-logs-reader");
    reader.start();
    try {
      ready.get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } finally {
      // SIGTERM through the handle: Process.destroy() would also close the child's stdout.
      process.toHandle().destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
    synchronized (lines) {
      return lines.stream().filter(l -> !l.isBlank()).toList();
    }
  }
}
