package dev.chatrelay.worker.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The worker's engine meters: how replies end ({@code worker.engine.replies}, tags {@code engine}
 * and {@code outcome}: {@code completed}, {@code cancelled}, or the error code), upstream retries
 * by reason ({@code worker.engine.retries}) and restarts written ({@code worker.engine.restarts}).
 */
public final class EngineMetrics {

  private final MeterRegistry registry;
  private final String engine;

  public EngineMetrics(MeterRegistry registry, String engine) {
    this.registry = registry;
    this.engine = engine;
  }

  /** Meters on the Vert.x Micrometer registry when metrics are enabled, else on a private one. */
  public static EngineMetrics create(String engine) {
    MeterRegistry shared = BackendRegistries.getDefaultNow();
    return new EngineMetrics(shared != null ? shared : new SimpleMeterRegistry(), engine);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A reply ended: {@code completed}, {@code cancelled} or an error code. */
  public void replyEnded(String outcome) {
    Counter.builder("worker.engine.replies").description("Replies by how they ended")
        .tag("engine", engine).tag("outcome", outcome).register(registry).increment();
  }

  /** An upstream request is tried again after a failure of kind {@code reason}. */
  void retried(String reason) {
    Counter.builder("worker.engine.retries").description("Upstream requests tried again")
        .tag("engine", engine).tag("reason", reason).register(registry).increment();
  }

  /** A reply started over with a {@code restart} frame. */
  public void restarted() {
    Counter.builder("worker.engine.restarts").description("Replies that started over")
        .tag("engine", engine).register(registry).increment();
  }
}
