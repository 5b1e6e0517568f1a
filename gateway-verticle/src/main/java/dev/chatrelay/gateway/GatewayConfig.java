package dev.chatrelay.gateway;

import dev.chatrelay.protocol.config.ConfigSource;

/** STUB for compiling the launcher; replaced by the gateway helper's class at merge. */
public record GatewayConfig(int httpPort) {

  public static GatewayConfig from(ConfigSource source) {
    return new GatewayConfig(source.intValue("RELAY_HTTP_PORT", 8080, 0, 65535));
  }

  public static GatewayConfig defaults() {
    return new GatewayConfig(8080);
  }
}
