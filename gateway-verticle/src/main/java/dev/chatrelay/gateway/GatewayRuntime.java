package dev.chatrelay.gateway;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** STUB for compiling the launcher; replaced by the gateway helper's class at merge. */
public class GatewayRuntime {

  private volatile boolean ready;

  public GatewayRuntime() {}

  public void markReady() {
    ready = true;
  }

  public boolean isReady() {
    return ready;
  }

  public Future<Void> drain() {
    ready = false;
    return Future.succeededFuture();
  }

  public void addReadinessCheck(Supplier<Boolean> check) {}
}
