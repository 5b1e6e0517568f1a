package dev.chatrelay.cluster;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loses a seeded fraction of the event-bus messages of chosen types on their way out, as a
 * flaky link between roles would: an outbound interceptor that does not pass the message on.
 * Only for tests; the product never installs one. Draws come from one seeded {@link Random};
 * senders on several event loops interleave, so a seed replays the same loss rates, not the
 * same messages.
 */
final class LossyBus implements AutoCloseable {

  private final EventBus bus;
  private final long seed;
  private final Random random;
  private final Map<Class<?>, Double> rates;
  private final Map<String, AtomicInteger> lost = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> passed = new ConcurrentHashMap<>();
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
  /** Messages of a type to lose whatever the rate, the next ones first. */
  private final Map<Class<?>, AtomicInteger> loseNext = new ConcurrentHashMap<>();

  /** @param rates fraction of the messages of each body type to lose, 0..1 */
  LossyBus(EventBus bus, long seed, Map<Class<?>, Double> rates) {
    this.bus = bus;
    this.seed = seed;
    this.random = new Random(seed);
    this.rates = Map.copyOf(rates);
    bus.addOutboundInterceptor(interceptor);
  }

  long seed() {
    return seed;
  }

  /** Loses the next {@code n} messages of {@code type}, then passes (and counts) the others. */
  void loseNext(Class<?> type, int n) {
    loseNext.put(type, new AtomicInteger(n));
  }

  private void intercept(DeliveryContext<Object> ctx) {
    Object body = ctx.body();
    AtomicInteger next = body == null ? null : loseNext.get(body.getClass());
    Double rate = body == null ? null : rates.getOrDefault(body.getClass(),
        next != null ? 0.0 : null);
    if (rate != null) {
      String type = body.getClass().getSimpleName();
      boolean lose = next != null && next.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      if (!lose) {
        synchronized (random) {
          lose = random.nextDouble() < rate;
        }
      }
      (lose ? lost : passed).computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
      if (lose) {
        return; // not passed on: lost on the way
      }
    }
    ctx.next();
  }

  /** Messages lost per type. */
  Map<String, Integer> lost() {
    Map<String, Integer> out = new TreeMap<>();
    lost.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Messages of the watched types passed on, per type. */
  Map<String, Integer> passed() {
    Map<String, Integer> out = new TreeMap<>();
    passed.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Stops losing messages. */
  @Override
  public void close() {
    bus.removeOutboundInterceptor(interceptor);
  }
}
