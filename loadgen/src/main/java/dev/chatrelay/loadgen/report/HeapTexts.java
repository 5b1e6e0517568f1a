package dev.chatrelay.loadgen.report;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap figures out of {@code jcmd GC.heap_info} and Prometheus {@code /metrics} text. */
public final class HeapTexts {

  private static final Pattern USED_K = Pattern.compile("used (\\d+)K");
  private static final Pattern METRIC = Pattern.compile(
      "^jvm_memory_used_bytes\\{([^}]*)\\}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

  private HeapTexts() {
  }

  /** Sum of the heap generations' {@code used} (every line before Metaspace), in bytes. */
  public static OptionalLong usedFromHeapInfo(String heapInfo) {
    long kib = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      if (line.contains("Metaspace")) {
        break;
      }
      Matcher m = USED_K.matcher(line);
      if (m.find()) {
        kib += Long.parseLong(m.group(1));
        found = true;
      }
    }
    return found ? OptionalLong.of(kib * 1024) : OptionalLong.empty();
  }

  /** Sum of {@code jvm_memory_used_bytes} over the pools with {@code area="heap"}, in bytes. */
  public static OptionalLong heapFromMetrics(String metrics) {
    Matcher m = METRIC.matcher(metrics);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      if (m.group(1).contains("area=\"heap\"")) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    return found ? OptionalLong.of((long) sum) : OptionalLong.empty();
  }
}
