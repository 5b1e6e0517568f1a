package dev.chatrelay.launcher;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.relay.RelayConfig;
import dev.chatrelay.relay.shard.LivenessConfig;
import dev.chatrelay.worker.WorkerConfig;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;

/**
 * Everything a start needs, validated before any server or cluster starts: an invalid value
 * fails here with a message naming its variable. Role configs are null for roles not run.
 */
public record LaunchPlan(
    LauncherConfig launcher,
    JsonObject values,
    GatewayConfig gateway,
    RelayConfig relay,
    WorkerConfig worker,
    JournalFactory journals,
    String generatedSecret) {

  public static LaunchPlan from(JsonObject loaded) {
    LauncherConfig launcher = LauncherConfig.from(new ConfigSource(loaded));
    JsonObject values = loaded;
    String generatedSecret = null;
    if (launcher.embedded()) {
      EmbeddedMode.Prepared prepared = EmbeddedMode.prepare(loaded, new SecureRandom());
      values = prepared.values();
      generatedSecret = prepared.generatedSecret();
    }
    ConfigSource source = new ConfigSource(values);
    Role role = launcher.role();
    GatewayConfig gateway = role.runsGateway() ? GatewayConfig.from(source) : null;
    if (gateway != null && launcher.adminPort() > 0 && launcher.adminPort() == gateway.httpPort()) {
      // The internal port exists to keep /metrics and /admin off the public one.
      throw new ConfigSource.InvalidConfigException(LauncherConfig.ADMIN_PORT,
          String.valueOf(launcher.adminPort()), "a port other than RELAY_HTTP_PORT");
    }
    if (role.runsRelay()) {
      LivenessConfig.from(source); // refused at start (exit 2), not when the relay deploys
    }
    return new LaunchPlan(
        launcher,
        values,
        gateway,
        role.runsRelay() ? RelayConfig.from(source) : null,
        role.runsWorker() ? WorkerConfig.from(source) : null,
        role.runsRelay() ? JournalFactory.forConfig(source) : null,
        generatedSecret);
  }

  /** {@code RELAY_*} names in the loaded configuration that no setting declares: ignored. */
  public List<String> unknownVariables() {
    return Settings.unknown(values.fieldNames());
  }

  public ConfigSource source() {
    return new ConfigSource(values);
  }
}
