package dev.chatrelay.gateway.metrics;

import dev.chatrelay.protocol.CloseCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters, shared by every verticle instance of a JVM. Registered on the Vert.x
 * Micrometer registry when metrics are enabled, else on a private Prometheus registry so
 * {@code /metrics} still answers.
 */
public final class GatewayMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter framesOut;
  private final Counter messagesIn;
  private final Counter acks;
  private final Counter resumes;
  private final Counter resets;
  private final Counter gaps;
  private final Counter moves;
  private final Counter outputFull;
  private final Map<String, Counter> limited = new ConcurrentHashMap<>();
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("relay.gateway.connections", connections, AtomicInteger::get)
        .description("open WebSocket connections").register(registry);
    framesOut = Counter.builder("relay.gateway.frames.out").description("frames written to clients")
        .register(registry);
    messagesIn = Counter.builder("relay.gateway.messages.in").description("client messages received")
        .register(registry);
    acks = Counter.builder("relay.gateway.acks").description("acks passed on to relays")
        .register(registry);
    resumes = Counter.builder("relay.gateway.resumes").description("hello.resume entries")
        .register(registry);
    resets = Counter.builder("relay.gateway.resets").description("reset answers sent to clients")
        .register(registry);
    gaps = Counter.builder("relay.gateway.gaps")
        .description("deliveries with a seq gap (a relay bug or a lost message; re-subscribed)")
        .register(registry);
    moves = Counter.builder("relay.gateway.moves")
        .description("subscriptions re-subscribed because their shard moved to another relay")
        .register(registry);
    outputFull = Counter.builder("relay.gateway.output.full")
        .description("times a connection's unsent output passed RELAY_OUTPUT_BUFFER_BYTES (reading stopped)")
        .register(registry);
  }

  /** The Vert.x Micrometer registry when metrics are enabled, else a fresh Prometheus one. */
  public static GatewayMetrics create() {
    MeterRegistry vertxRegistry = BackendRegistries.getDefaultNow();
    return new GatewayMetrics(vertxRegistry != null ? vertxRegistry
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public void framesOut(int n) {
    framesOut.increment(n);
  }

  public void messageIn() {
    messagesIn.increment();
  }

  public void ack() {
    acks.increment();
  }

  public void resume() {
    resumes.increment();
  }

  public void reset() {
    resets.increment();
  }

  public void gap() {
    gaps.increment();
  }

  public void moved() {
    moves.increment();
  }

  public void outputFull() {
    outputFull.increment();
  }

  /** A client message refused by a limit of PROTOCOL.md: {@code which} names it (fixed names only). */
  public void limited(String which) {
    limited.computeIfAbsent(which, k -> Counter.builder("relay.gateway.limited")
        .description("client messages refused by a limit").tag("limit", which)
        .register(registry)).increment();
  }

  /**
   * A closed connection: its close code and who closed it ({@code server} or {@code client}).
   * Codes outside PROTOCOL.md's table count as {@code other}: clients choose them freely.
   */
  public void closed(int code, String by) {
    String label = isKnown(code) ? Integer.toString(code) : "other";
    closes.computeIfAbsent(label + "/" + by, k -> Counter.builder("relay.gateway.closes")
        .description("closed connections by close code").tag("code", label)
        .tag("by", by).register(registry)).increment();
  }

  private static boolean isKnown(int code) {
    for (CloseCode c : CloseCode.values()) {
      if (c.code() == code) {
        return true;
      }
    }
    return code == 1005 || code == 1006; // no status / abnormal: what a vanished client leaves
  }
}
