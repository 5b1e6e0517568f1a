package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Settings;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the configuration with vertx-config from three stores, later ones winning: the
 * registry's launcher defaults ({@link LauncherConfig#defaultValues()}), the JSON file named by
 * {@code RELAY_CONFIG_FILE} (when set), and the environment. Every other default is applied
 * from the registry ({@code Settings}) when a role's config reads its value.
 */
public final class ConfigLoader {

  public static final String CONFIG_FILE = Settings.CONFIG_FILE.name();

  /** Reading a local file and the environment takes milliseconds; this only bounds a hang. */
  private static final long LOAD_TIMEOUT_SECONDS = 30;

  private ConfigLoader() {}

  /** The configuration of this process: defaults, file, then the real environment. */
  public static JsonObject loadFromProcess() {
    ConfigStoreOptions env = new ConfigStoreOptions()
        .setType("env")
        .setConfig(new JsonObject().put("raw-data", true));
    return load(env, System.getenv(CONFIG_FILE));
  }

  /** Same as {@link #loadFromProcess()} with {@code environment} in place of the real one. */
  public static JsonObject load(Map<String, String> environment) {
    ConfigStoreOptions env = new ConfigStoreOptions()
        .setType("json")
        .setConfig(new JsonObject(Map.copyOf(environment)));
    return load(env, environment.get(CONFIG_FILE));
  }

  private static JsonObject load(ConfigStoreOptions environmentStore, String configFile) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .addStore(new ConfigStoreOptions()
            .setType("json")
            .setConfig(LauncherConfig.defaultValues()));
    if (configFile != null && !configFile.isBlank()) {
      options.addStore(new ConfigStoreOptions()
          .setType("file")
          .setFormat("json")
          .setConfig(new JsonObject().put("path", configFile.trim())));
    }
    options.addStore(environmentStore);

    // A throwaway Vert.x: the real one's options (cluster, metrics) depend on this configuration.
    Vertx bootstrap = Vertx.vertx();
    ConfigRetriever retriever = ConfigRetriever.create(bootstrap, options);
    try {
      return retriever.getConfig().await(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "configuration not read within " + LOAD_TIMEOUT_SECONDS + " s");
    } catch (Exception e) {
      if (configFile != null && !configFile.isBlank()) {
        throw new InvalidConfigException(CONFIG_FILE, configFile,
            "a readable JSON object file (" + rootCause(e).getMessage() + ")");
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      retriever.close();
      bootstrap.close().await();
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
