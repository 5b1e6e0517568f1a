package dev.chatrelay.relay.shard;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Settings;

/**
 * How a clustered relay says it is alive in the journal ({@link RelayLiveness}).
 *
 * @param intervalMs how often it writes ({@code RELAY_LIVENESS_INTERVAL_MS})
 * @param ttlMs how long one write counts ({@code RELAY_LIVENESS_TTL_MS})
 * @param nodeLeftGraceMs subscriptions of a gateway node that left the view are dropped after this
 *     if it is still gone ({@code RELAY_NODE_LEFT_GRACE_MS})
 */
public record LivenessConfig(long intervalMs, long ttlMs, long nodeLeftGraceMs) {

  public LivenessConfig {
    if (ttlMs <= intervalMs) {
      throw new InvalidConfigException(Settings.LIVENESS_TTL_MS.name() + " must be more than "
          + Settings.LIVENESS_INTERVAL_MS.name() + " (" + intervalMs + ")");
    }
  }

  public static LivenessConfig defaults() {
    return new LivenessConfig(Settings.LIVENESS_INTERVAL_MS.longDefault(),
        Settings.LIVENESS_TTL_MS.longDefault(), Settings.NODE_LEFT_GRACE_MS.longDefault());
  }

  public static LivenessConfig from(ConfigSource source) {
    return new LivenessConfig(source.longValue(Settings.LIVENESS_INTERVAL_MS),
        source.longValue(Settings.LIVENESS_TTL_MS), source.longValue(Settings.NODE_LEFT_GRACE_MS));
  }
}
