package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void defaultsInCodeWhenNothingIsSet() {
    JsonObject values = ConfigLoader.load(Map.of());
    assertEquals("all", values.getString(LauncherConfig.ROLE));
    assertEquals("chat-relay", values.getString(ClusterConfig.NAME));
    assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()),
        values.getString(LauncherConfig.GATEWAY_INSTANCES));
    assertNull(values.getValue("RELAY_HTTP_PORT"), "role defaults stay in the role records");
  }

  @Test
  void environmentOverridesDefaults() {
    JsonObject values = ConfigLoader.load(Map.of(LauncherConfig.ROLE, "gateway",
        "RELAY_HTTP_PORT", "9000"));
    assertEquals("gateway", values.getString(LauncherConfig.ROLE));
    assertEquals("9000", values.getString("RELAY_HTTP_PORT"));
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
    Path file = dir.resolve("relay.json");
    Files.writeString(file, new JsonObject()
        .put("RELAY_HTTP_PORT", 9100)
        .put(ClusterConfig.NAME, "from-file")
        .put("RELAY_ACK_WINDOW", 64)
        .encode());
    JsonObject values = ConfigLoader.load(Map.of(ConfigLoader.CONFIG_FILE, file.toString(),
        "RELAY_HTTP_PORT", "9200"));
    assertEquals("9200", String.valueOf(values.getValue("RELAY_HTTP_PORT")), "env wins");
    assertEquals("from-file", values.getString(ClusterConfig.NAME), "file beats defaults");
    assertEquals("64", String.valueOf(values.getValue("RELAY_ACK_WINDOW")));
    assertEquals("all", values.getString(LauncherConfig.ROLE), "defaults remain");
  }

  @Test
  void missingFileNamesTheVariable() {
    String missing = dir.resolve("nope.json").toString();
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> ConfigLoader.load(Map.of(ConfigLoader.CONFIG_FILE, missing)));
    assertTrue(e.getMessage().contains(ConfigLoader.CONFIG_FILE), e.getMessage());
    assertTrue(e.getMessage().contains(missing), e.getMessage());
  }

  @Test
  void fileThatIsNotJsonNamesTheVariable() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "RELAY_HTTP_PORT=1");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> ConfigLoader.load(Map.of(ConfigLoader.CONFIG_FILE, file.toString())));
    assertTrue(e.getMessage().contains(ConfigLoader.CONFIG_FILE), e.getMessage());
  }

  @Test
  void processEnvironmentIsTheLastStore() {
    JsonObject values = ConfigLoader.loadFromProcess();
    String path = System.getenv("PATH");
    assertEquals(path, values.getString("PATH"), "the env store reads the real environment");
    String role = System.getenv(LauncherConfig.ROLE);
    assertEquals(role == null ? "all" : role, values.getString(LauncherConfig.ROLE));
  }
}
