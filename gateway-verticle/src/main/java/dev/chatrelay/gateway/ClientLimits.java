package dev.chatrelay.gateway;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.Settings;

/**
 * What one client can make a gateway process hold (PROTOCOL.md "Limits"), each from one
 * {@code RELAY_*} variable. The relay's own limits (reply jobs queued per thread, history page
 * bytes) are in the relay's configuration.
 *
 * @param maxSubscriptions       RELAY_MAX_SUBSCRIPTIONS: subscriptions per connection
 * @param maxConnectionsPerUser  RELAY_MAX_CONNECTIONS_PER_USER: connections per user and process
 * @param outputBufferBytes      RELAY_OUTPUT_BUFFER_BYTES: unsent output at which a connection is no longer read
 * @param slowConsumerMs         RELAY_SLOW_CONSUMER_MS: output over the buffer this long closes 4008
 * @param upgradeTimeoutMs       RELAY_UPGRADE_TIMEOUT_MS: an HTTP request must arrive complete within this
 * @param keepAliveMs            RELAY_KEEPALIVE_TIMEOUT_MS: after a response, the next request on the
 *                               connection must arrive complete within this
 * @param sendRatePerS           RELAY_SEND_RATE_PER_S: sends per second per user (sockets and HTTP)
 * @param sendBurst              RELAY_SEND_BURST: send burst per user
 */
public record ClientLimits(
    int maxSubscriptions,
    int maxConnectionsPerUser,
    int outputBufferBytes,
    long slowConsumerMs,
    long upgradeTimeoutMs,
    long keepAliveMs,
    int sendRatePerS,
    int sendBurst) {

  public static final String MAX_SUBSCRIPTIONS = Settings.MAX_SUBSCRIPTIONS.name();
  public static final String MAX_CONNECTIONS_PER_USER = Settings.MAX_CONNECTIONS_PER_USER.name();
  public static final String OUTPUT_BUFFER_BYTES = Settings.OUTPUT_BUFFER_BYTES.name();
  public static final String SLOW_CONSUMER_MS = Settings.SLOW_CONSUMER_MS.name();
  public static final String UPGRADE_TIMEOUT_MS = Settings.UPGRADE_TIMEOUT_MS.name();
  public static final String KEEPALIVE_TIMEOUT_MS = Settings.KEEPALIVE_TIMEOUT_MS.name();
  public static final String SEND_RATE_PER_S = Settings.SEND_RATE_PER_S.name();
  public static final String SEND_BURST = Settings.SEND_BURST.name();

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = Settings.MAX_SUBSCRIPTIONS.intDefault();
  public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = Settings.MAX_CONNECTIONS_PER_USER.intDefault();
  public static final int DEFAULT_OUTPUT_BUFFER_BYTES = Settings.OUTPUT_BUFFER_BYTES.intDefault();
  public static final long DEFAULT_SLOW_CONSUMER_MS = Settings.SLOW_CONSUMER_MS.longDefault();
  public static final long DEFAULT_UPGRADE_TIMEOUT_MS = Settings.UPGRADE_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = Settings.KEEPALIVE_TIMEOUT_MS.longDefault();
  public static final int DEFAULT_SEND_RATE_PER_S = Settings.SEND_RATE_PER_S.intDefault();
  public static final int DEFAULT_SEND_BURST = Settings.SEND_BURST.intDefault();
  public static final int MIN_OUTPUT_BUFFER_BYTES = (int) Settings.OUTPUT_BUFFER_BYTES.min();

  public static ClientLimits defaults() {
    return from(ConfigSource.of(java.util.Map.of()));
  }

  public static ClientLimits from(ConfigSource source) {
    return new ClientLimits(
        source.intValue(Settings.MAX_SUBSCRIPTIONS),
        source.intValue(Settings.MAX_CONNECTIONS_PER_USER),
        source.intValue(Settings.OUTPUT_BUFFER_BYTES),
        source.longValue(Settings.SLOW_CONSUMER_MS),
        source.longValue(Settings.UPGRADE_TIMEOUT_MS),
        source.longValue(Settings.KEEPALIVE_TIMEOUT_MS),
        source.intValue(Settings.SEND_RATE_PER_S),
        source.intValue(Settings.SEND_BURST));
  }
}
