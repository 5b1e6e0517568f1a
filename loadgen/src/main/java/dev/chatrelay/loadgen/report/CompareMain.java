package dev.chatrelay.loadgen.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one table from a results file whose labels are {@code <system>/<case>}: per case, each
 * system's frames/s and p99 and the ratio of every system to {@code raw}, plus the storm and idle
 * figures; then each of {@link #HEAD_TO_HEAD} measured in the file, side by side. {@code box cpu}
 * is the whole box's busy CPU in the window: well above driver + server means others ran too.
 * Usage: {@code CompareMain <results.jsonl> [baseline-system]}.
 */
public final class CompareMain {

  /** System whose frames/s the others are divided by. */
  static final String DEFAULT_BASELINE = "raw";
  /** Our system and the Socket.IO build with the same guarantees (bench/socketio/), compared per case. */
  static final List<List<String>> HEAD_TO_HEAD = List.of(List.of("relay", "socketio"),
      List.of("cluster", "socketio-redis"));

  private CompareMain() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: CompareMain <results.jsonl> [baseline-system]");
      System.exit(2);
    }
    List<JsonObject> runs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (!line.isBlank()) {
        runs.add(new JsonObject(line));
      }
    }
    print(runs, args.length > 1 ? args[1] : DEFAULT_BASELINE, System.out);
  }

  /** The table for {@code runs}; the last run of each label wins. */
  static void print(List<JsonObject> runs, String baseline, PrintStream out) {
    Map<String, Map<String, JsonObject>> byCase = new LinkedHashMap<>();
    for (JsonObject r : runs) {
      String label = r.getString("label", "");
      int slash = label.indexOf('/');
      String system = slash < 0 ? "?" : label.substring(0, slash);
      String name = slash < 0 ? label : label.substring(slash + 1);
      byCase.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(system, r);
    }
    out.printf(Locale.ROOT, "%-14s %-14s %4s %12s %8s %9s %8s %9s %8s  %s%n", "case", "system", "ok", "frames/s",
        "p99 ms", "ratio", "lost", "srv cpu", "box cpu", "scenario figures");
    byCase.forEach((name, systems) -> {
      JsonObject base = systems.get(baseline);
      double baseRate = base == null ? 0 : base.getJsonObject("figures").getDouble("frames_per_s", 0.0);
      systems.forEach((system, r) -> {
        JsonObject f = r.getJsonObject("figures");
        double rate = f.getDouble("frames_per_s", 0.0);
        String ratio = baseRate > 0 ? String.format(Locale.ROOT, "%.2f", rate / baseRate) : "-";
        out.printf(Locale.ROOT, "%-14s %-14s %4s %12.0f %8.2f %9s %8d %9.2f %8.2f  %s%n", name, system,
            r.getBoolean("ok", false) ? "yes" : "NO", rate, f.getJsonObject("latency").getDouble("p99_ms", 0.0),
            ratio, f.getLong("lost", 0L), f.getDouble("server_cpu_cores", -1.0),
            f.getDouble("box_cpu_cores", -1.0), extras(f));
      });
    });
    headToHead(byCase, out);
  }

  /** frames/s ratio and p99 of each pair of {@link #HEAD_TO_HEAD} present in one case. */
  private static void headToHead(Map<String, Map<String, JsonObject>> byCase, PrintStream out) {
    byCase.forEach((name, systems) -> {
      for (List<String> pair : HEAD_TO_HEAD) {
        JsonObject ours = systems.get(pair.get(0));
        JsonObject theirs = systems.get(pair.get(1));
        if (ours == null || theirs == null) {
          continue;
        }
        JsonObject a = ours.getJsonObject("figures");
        JsonObject b = theirs.getJsonObject("figures");
        double rate = b.getDouble("frames_per_s", 0.0);
        String ratio = rate > 0 ? String.format(Locale.ROOT, "%.2f", a.getDouble("frames_per_s", 0.0) / rate) : "-";
        out.printf(Locale.ROOT, "%-14s %s / %s: %s x frames/s (%.0f vs %.0f), p99 %.2f vs %.2f ms,"
            + " frames per server cpu-second %s vs %s%n", name,
            pair.get(0), pair.get(1), ratio, a.getDouble("frames_per_s", 0.0), rate,
            a.getJsonObject("latency").getDouble("p99_ms", 0.0), b.getJsonObject("latency").getDouble("p99_ms", 0.0),
            perServerCore(a), perServerCore(b));
      }
    });
  }

  /** frames/s over the server process's cores: less at the mercy of other jobs than frames/s alone. */
  private static String perServerCore(JsonObject f) {
    double cores = f.getDouble("server_cpu_cores", -1.0);
    return cores > 0 ? String.format(Locale.ROOT, "%.0f", f.getDouble("frames_per_s", 0.0) / cores) : "-";
  }

  private static String extras(JsonObject f) {
    StringBuilder b = new StringBuilder();
    for (String k : List.of("storm_resumed_ms", "storm_caught_up_ms", "heap_per_connection_jcmd_bytes",
        "heap_per_connection_metrics_bytes")) {
      if (f.containsKey(k)) {
        b.append(k).append('=').append(f.getValue(k)).append(' ');
      }
    }
    if (Boolean.FALSE.equals(f.getValue("history_checked"))) {
      b.append("history_check=off"); // Socket.IO has no history API: gaps and open replies only
    }
    return b.toString().trim();
  }
}
