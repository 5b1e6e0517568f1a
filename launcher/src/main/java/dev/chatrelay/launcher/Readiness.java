package dev.chatrelay.launcher;

import java.util.function.BooleanSupplier;

/** Process readiness apart from the gateway's own: started, not stopping, cluster joined. */
final class Readiness {

  private final BooleanSupplier clusterActive;
  private volatile boolean started;
  private volatile boolean stopping;

  Readiness(BooleanSupplier clusterActive) {
    this.clusterActive = clusterActive;
  }

  void markStarted() {
    started = true;
  }

  void markStopping() {
    stopping = true;
  }

  boolean ready() {
    return started && !stopping && clusterActive.getAsBoolean();
  }
}
