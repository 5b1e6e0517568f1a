package dev.chatrelay.relay;

import dev.chatrelay.protocol.config.ConfigSource;

/** STUB for compiling the launcher; replaced by the relay helper's class at merge. */
public record RelayConfig(int retentionFrames) {

  public static RelayConfig from(ConfigSource source) {
    return new RelayConfig(source.intValue("RELAY_RETENTION_FRAMES", 1000, 1, Integer.MAX_VALUE));
  }

  public static RelayConfig defaults() {
    return new RelayConfig(1000);
  }
}
