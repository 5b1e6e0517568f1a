package dev.chatrelay.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.concurrent.TimeUnit;

/** The relay's meters, registered once per verticle on the process-wide registry. */
public final class RelayMetrics {

  /** Reset reasons of PROTOCOL.md, each its own counter tag. */
  private static final String[] RESET_REASONS = {"epoch", "retention", "ahead"};

  private final MeterRegistry registry;
  private final Timer journalAppend;
  private final Timer jobCompletion;
  private final Counter redispatches;
  private final Counter abandonedJobs;
  private final Counter slowConsumerCloses;
  private final Counter shardsFenced;
  private final Counter deliveryResends;

  public RelayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.journalAppend = Timer.builder("relay.journal.append")
        .description("Latency of one journal append").register(registry);
    this.jobCompletion = Timer.builder("relay.job.completion")
        .description("From first dispatch of a reply job to its end").register(registry);
    this.redispatches = Counter.builder("relay.job.redispatches")
        .description("Dispatches after a failed dispatch or an expired lease").register(registry);
    this.abandonedJobs = Counter.builder("relay.job.abandoned")
        .description("Jobs the relay ended with worker_unavailable").register(registry);
    this.slowConsumerCloses = Counter.builder("relay.slow_consumer.closes")
        .description("Connections closed with 4008").register(registry);
    this.shardsFenced = Counter.builder("relay.shard.fenced")
        .description("Shards let go because the journal fenced a write").register(registry);
    this.deliveryResends = Counter.builder("relay.delivery.resends")
        .description("Deliveries sent again: frames neither acked nor confirmed in time")
        .register(registry);
    for (String reason : RESET_REASONS) {
      resetCounter(reason);
    }
  }

  /** Meters on the Vert.x Micrometer registry when metrics are enabled, else on a private one. */
  public static RelayMetrics create() {
    MeterRegistry shared = BackendRegistries.getDefaultNow();
    return new RelayMetrics(shared != null ? shared : new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Gauges of the dispatch window: replies starting, and threads waiting for a slot. */
  void watch(DispatchWindow window) {
    Gauge.builder("relay.dispatch.starting", window, DispatchWindow::starting)
        .description("Replies dispatched whose first append is not journaled yet")
        .register(registry);
    Gauge.builder("relay.dispatch.waiting", window, DispatchWindow::waiting)
        .description("Threads whose next reply waits for a slot of RELAY_DISPATCH_WINDOW")
        .register(registry);
  }

  void journalAppended(long nanos) {
    journalAppend.record(nanos, TimeUnit.NANOSECONDS);
  }

  void jobFinished(long nanos) {
    jobCompletion.record(nanos, TimeUnit.NANOSECONDS);
  }

  void redispatched() {
    redispatches.increment();
  }

  void jobAbandoned() {
    abandonedJobs.increment();
  }

  void slowConsumerClosed() {
    slowConsumerCloses.increment();
  }

  void deliveryResent() {
    deliveryResends.increment();
  }

  void shardFenced() {
    shardsFenced.increment();
  }

  void reset(String reason) {
    resetCounter(reason).increment();
  }

  private Counter resetCounter(String reason) {
    return Counter.builder("relay.subscription.resets").tag("reason", reason)
        .description("Subscriptions answered or ended with reset").register(registry);
  }
}
