package dev.chatrelay.gateway.http;

import dev.chatrelay.gateway.GatewayRuntime;
import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /healthz} (the process lives) and {@code /readyz} (it can serve). */
public final class HealthApi {

  private final GatewayRuntime runtime;

  public HealthApi(GatewayRuntime runtime) {
    this.runtime = runtime;
  }

  public void health(RoutingContext ctx) {
    if (runtime.isLive()) {
      ThreadsApi.json(ctx, 200, new JsonObject().put("status", "up"));
    } else {
      HttpErrors.send(ctx, ErrorCode.UNAVAILABLE, "cut off from the relays");
    }
  }

  public void ready(RoutingContext ctx) {
    if (runtime.isReady()) {
      ThreadsApi.json(ctx, 200, new JsonObject().put("status", "ready"));
    } else {
      HttpErrors.send(ctx, ErrorCode.UNAVAILABLE, runtime.isDraining() ? "draining" : "not ready");
    }
  }
}
