package dev.chatrelay.gateway.ws;

import dev.chatrelay.gateway.GatewayConfig;
import java.util.List;
import java.util.Set;

/** The Origin allow-list of {@code RELAY_ALLOWED_ORIGINS}; an absent Origin (non-browser) passes. */
public final class OriginPolicy {

  private final boolean any;
  private final Set<String> allowed;

  public OriginPolicy(List<String> allowedOrigins) {
    this.any = allowedOrigins.contains("*");
    this.allowed = Set.copyOf(allowedOrigins);
  }

  public boolean allows(String origin) {
    return origin == null || any || allowed.contains(GatewayConfig.normalizeOrigin(origin));
  }
}
