package dev.chatrelay.it;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests read about the running gateway from outside its code: Prometheus counters on
 * {@code GET /metrics}, and the heap of this JVM (the embedded system runs in it) after a full GC.
 */
public final class GatewayProbe {

  private GatewayProbe() {}

  /** {@code relay_gateway_closes_total} for {@code code}, closed by the server; 0 when absent. */
  public static double serverCloses(TestSystem system, int code) {
    return counter(system, "relay_gateway_closes_total", "code=\"" + code + "\"", "by=\"server\"");
  }

  /** The sum of the series of {@code name} whose labels contain every one of {@code labels}. */
  public static double counter(TestSystem system, String name, String... labels) {
    String text = system.api().request(io.vertx.core.http.HttpMethod.GET, "/metrics",
        java.util.Map.of(), null).body();
    double sum = 0;
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+([0-9.eE+-]+)$",
        Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      String labelText = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String l : labels) {
        all &= labelText.contains(l);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /** Heap in use after a full collection: what the process really holds. */
  public static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
