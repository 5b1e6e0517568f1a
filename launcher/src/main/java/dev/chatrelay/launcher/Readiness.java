package dev.chatrelay.launcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Process readiness apart from the gateway's own: started, not stopping, cluster joined, and
 * every extra condition of the roles it runs (e.g. the relay's Redis connection).
 */
final class Readiness {

  private final BooleanSupplier clusterActive;
  private final List<BooleanSupplier> conditions = new CopyOnWriteArrayList<>();
  private volatile boolean started;
  private volatile boolean stopping;

  Readiness(BooleanSupplier clusterActive) {
    this.clusterActive = clusterActive;
  }

  void addCondition(BooleanSupplier condition) {
    conditions.add(condition);
  }

  void markStarted() {
    started = true;
  }

  void markStopping() {
    stopping = true;
  }

  boolean ready() {
    if (!started || stopping || !clusterActive.getAsBoolean()) {
      return false;
    }
    for (BooleanSupplier condition : conditions) {
      if (!condition.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }
}
