package dev.chatrelay.gateway;

import dev.chatrelay.protocol.config.ConfigSource;

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

  public static final String MAX_SUBSCRIPTIONS = "RELAY_MAX_SUBSCRIPTIONS";
  public static final String MAX_CONNECTIONS_PER_USER = "RELAY_MAX_CONNECTIONS_PER_USER";
  public static final String OUTPUT_BUFFER_BYTES = "RELAY_OUTPUT_BUFFER_BYTES";
  public static final String SLOW_CONSUMER_MS = "RELAY_SLOW_CONSUMER_MS";
  public static final String UPGRADE_TIMEOUT_MS = "RELAY_UPGRADE_TIMEOUT_MS";
  public static final String KEEPALIVE_TIMEOUT_MS = "RELAY_KEEPALIVE_TIMEOUT_MS";
  public static final String SEND_RATE_PER_S = "RELAY_SEND_RATE_PER_S";
  public static final String SEND_BURST = "RELAY_SEND_BURST";

  /** PROTOCOL.md: 256 subscriptions per connection; a chat UI shows far fewer threads. */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 256;
  /** PROTOCOL.md: 32 connections per user on one gateway process (tabs and devices). */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 32;
  /** PROTOCOL.md: unsent output over 1 MiB stops reading the connection. */
  public static final int DEFAULT_OUTPUT_BUFFER_BYTES = 1 << 20;
  /** PROTOCOL.md: the slow-consumer time, as for a full ack window. */
  public static final long DEFAULT_SLOW_CONSUMER_MS = 30_000;
  /** PROTOCOL.md: the upgrade request must arrive complete within 10 s (slowloris). */
  public static final long DEFAULT_UPGRADE_TIMEOUT_MS = 10_000;
  /**
   * An idle keep-alive connection is closed after this: longer than HTTP clients keep an idle
   * pooled connection (60 s in Vert.x and many others), so the client closes first and never
   * sends on a connection the server is closing.
   */
  public static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 75_000;
  /** A person sends a message every few seconds: 10 a second per user is far above that ... */
  public static final int DEFAULT_SEND_RATE_PER_S = 10;
  /** ... with bursts of 20 (an outbox flushed after a reconnect). */
  public static final int DEFAULT_SEND_BURST = 20;

  /** Below this a slow network could not carry one 64 KiB message and its answers. */
  public static final int MIN_OUTPUT_BUFFER_BYTES = 64 * 1024;

  public static ClientLimits defaults() {
    return from(ConfigSource.of(java.util.Map.of()));
  }

  public static ClientLimits from(ConfigSource source) {
    long day = 86_400_000L;
    return new ClientLimits(
        source.intValue(MAX_SUBSCRIPTIONS, DEFAULT_MAX_SUBSCRIPTIONS, 1, 1_000_000),
        source.intValue(MAX_CONNECTIONS_PER_USER, DEFAULT_MAX_CONNECTIONS_PER_USER, 1, 1_000_000),
        source.intValue(OUTPUT_BUFFER_BYTES, DEFAULT_OUTPUT_BUFFER_BYTES, MIN_OUTPUT_BUFFER_BYTES, 1 << 30),
        source.longValue(SLOW_CONSUMER_MS, DEFAULT_SLOW_CONSUMER_MS, 1, day),
        source.longValue(UPGRADE_TIMEOUT_MS, DEFAULT_UPGRADE_TIMEOUT_MS, 100, 600_000),
        source.longValue(KEEPALIVE_TIMEOUT_MS, DEFAULT_KEEPALIVE_TIMEOUT_MS, 100, 3_600_000),
        source.intValue(SEND_RATE_PER_S, DEFAULT_SEND_RATE_PER_S, 1, 1_000_000),
        source.intValue(SEND_BURST, DEFAULT_SEND_BURST, 1, 1_000_000));
  }
}
