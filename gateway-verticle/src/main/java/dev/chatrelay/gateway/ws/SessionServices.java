package dev.chatrelay.gateway.ws;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.gateway.auth.TokenVerifier;
import dev.chatrelay.gateway.bus.RelayBus;
import dev.chatrelay.gateway.http.UserRateLimits;
import dev.chatrelay.gateway.metrics.GatewayMetrics;
import dev.chatrelay.protocol.Clock;

/** What every session of one gateway verticle instance shares. */
public record SessionServices(
    GatewayConfig config,
    Clock clock,
    String gatewayId,
    TokenVerifier verifier,
    RelayBus relay,
    GatewayMetrics metrics,
    SessionRegistry registry,
    UserConnections connections,
    UserRateLimits sendQuota) {}
