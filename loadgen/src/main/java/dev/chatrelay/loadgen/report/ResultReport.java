package dev.chatrelay.loadgen.report;

import dev.chatrelay.loadgen.LoadOptions;
import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.scenario.ScenarioOutcome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Builds the result of a run, prints it as a table and appends it as one JSON line. */
public final class ResultReport {

  private ResultReport() {
  }

  public static RunResult build(LoadOptions o, String runId, RunStats stats, Violations violations,
      ScenarioOutcome outcome, boolean nativeTransport) {
    Measurement.Window w = outcome.window();
    double seconds = w == null ? 0 : w.seconds();
    Histogram h = stats.latencySnapshot();
    JsonObject latency = new JsonObject()
        .put("samples", h.getTotalCount())
        .put("p50_ms", ms(h.getValueAtPercentile(50)))
        .put("p99_ms", ms(h.getValueAtPercentile(99)))
        .put("p999_ms", ms(h.getValueAtPercentile(99.9)))
        .put("max_ms", ms(h.getMaxValue()));
    JsonObject figures = new JsonObject()
        .put("connections", outcome.connections())
        .put("measured_s", round(seconds))
        .put("frames", stats.measuredFrames())
        .put("frames_per_s", seconds > 0 ? round(stats.measuredFrames() / seconds) : 0.0)
        .put("frames_total", stats.totalFrames())
        .put("sends", stats.sends())
        .put("compacted_runs", stats.compactedRuns())
        .put("latency", latency)
        .put("lost", outcome.lost())
        .put("violations", violations.count())
        .put("connect_failures", stats.connectFailures())
        .put("errors", new JsonObject(Map.copyOf(stats.errors())))
        .put("close_codes", closeCodes(stats.closeCodes()))
        .put("driver_cpu_cores", w == null ? -1 : round(w.driverCpuCores()))
        .put("driver_heap_mb", round(ProcessProbe.selfHeapUsed() / 1048576.0))
        .put("server_cpu_cores", w == null || w.serverCpuCores() < 0 ? -1 : round(w.serverCpuCores()))
        .put("box_cpu_cores", w == null || w.boxCpuCores() < 0 ? -1 : round(w.boxCpuCores()));
    if (w != null && !w.roleCpuNanos().isEmpty()) {
      figures.put("role_cpu_cores", roleCores(w)).put("role_cpu_us_per_frame",
          roleMicrosPerFrame(w, stats.measuredFrames()));
    }
    outcome.extra().forEach(figures::put);
    JsonObject params = new JsonObject()
        .put("url", o.url().toString())
        .put("protocol", o.protocol().wire())
        .put("users", o.users())
        .put("connections_per_user", o.connectionsPerUser())
        .put("interval_ms", o.intervalMs())
        .put("rate", o.rate())
        .put("duration_s", o.durationS())
        .put("warmup_s", o.warmupS())
        .put("event_loops", o.eventLoops())
        .put("transport", nativeTransport ? "epoll" : "nio")
        .put("frames_per_send", o.framesPerSend())
        .put("text_bytes", o.textBytes())
        .put("max_user_sends_per_s", o.maxUserSendsPerS())
        .put("server_pid", o.serverPid())
        .put("role_pids", new JsonObject(Map.copyOf(o.rolePids())));
    JsonObject json = new JsonObject()
        .put("at", Instant.now().toString())
        .put("run", runId)
        .put("label", o.label())
        .put("scenario", o.scenario().wire())
        .put("git", Environment.gitRevision())
        .put("cores", Environment.cores())
        .put("load_avg_1m", Environment.loadAverage())
        .put("jvm", Environment.jvm())
        .put("params", params)
        .put("figures", figures)
        .put("ok", violations.count() == 0)
        .put("violation_samples", violations.first());
    return new RunResult(json, violations.count(), violations.first());
  }

  /** The human table. */
  public static void print(RunResult r, PrintStream out) {
    JsonObject j = r.json();
    JsonObject f = r.figures();
    JsonObject l = f.getJsonObject("latency");
    out.printf(Locale.ROOT, "%n== %s (%s) run %s git %s, %d cores, load %s%n", j.getString("label"),
        j.getString("scenario"), j.getString("run"), j.getString("git"), j.getInteger("cores"),
        j.getValue("load_avg_1m"));
    row(out, "connections", f.getValue("connections"));
    row(out, "measured s", f.getValue("measured_s"));
    row(out, "frames delivered", f.getValue("frames"));
    row(out, "frames/s", f.getValue("frames_per_s"));
    row(out, "latency p50/p99/p99.9/max ms", l.getValue("p50_ms") + " / " + l.getValue("p99_ms")
        + " / " + l.getValue("p999_ms") + " / " + l.getValue("max_ms"));
    row(out, "sends", f.getValue("sends"));
    row(out, "compacted runs", f.getValue("compacted_runs"));
    row(out, "errors", f.getJsonObject("errors").encode());
    row(out, "close codes", f.getJsonObject("close_codes").encode());
    row(out, "driver cpu cores / heap MB", f.getValue("driver_cpu_cores") + " / " + f.getValue("driver_heap_mb"));
    row(out, "server cpu cores", f.getValue("server_cpu_cores"));
    row(out, "box cpu cores (all processes)", f.getValue("box_cpu_cores"));
    if (f.containsKey("role_cpu_cores")) {
      row(out, "role cpu cores", f.getJsonObject("role_cpu_cores").encode());
      row(out, "role cpu us per frame", f.getJsonObject("role_cpu_us_per_frame").encode());
    }
    for (String k : f.fieldNames()) {
      if (k.startsWith("storm_") || k.startsWith("heap_") || k.equals("mode") || k.equals("drain_ms")
          || k.equals("replies_completed")) {
        row(out, k, f.getValue(k));
      }
    }
    row(out, "lost", f.getValue("lost"));
    row(out, "violations", r.violations());
    for (String v : r.firstViolations()) {
      out.println("   ! " + v);
    }
    out.println(r.ok() ? "RESULT ok" : "RESULT FAILED");
  }

  /** Appends the JSON line to {@code file}, creating the directories. */
  public static void append(RunResult r, String file) throws IOException {
    Path path = Path.of(file);
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    Files.writeString(path, r.json().encode() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void row(PrintStream out, String name, Object value) {
    out.printf(Locale.ROOT, "  %-32s %s%n", name, value);
  }

  /** CPU cores each role used in the window. */
  private static JsonObject roleCores(Measurement.Window w) {
    JsonObject o = new JsonObject();
    w.roleCpuNanos().forEach((role, ns) -> o.put(role, round(ns / 1e9 / w.seconds())));
    return o;
  }

  /** Microseconds of CPU each role spent per delivered frame, and their total. */
  private static JsonObject roleMicrosPerFrame(Measurement.Window w, long frames) {
    JsonObject o = new JsonObject();
    long total = 0;
    for (Map.Entry<String, Long> e : w.roleCpuNanos().entrySet()) {
      o.put(e.getKey(), frames > 0 ? round(e.getValue() / 1e3 / frames) : -1.0);
      total += e.getValue();
    }
    return o.put("total", frames > 0 ? round(total / 1e3 / frames) : -1.0);
  }

  private static JsonObject closeCodes(Map<Integer, Long> codes) {
    JsonObject o = new JsonObject();
    codes.forEach((k, v) -> o.put(Integer.toString(k), v));
    return o;
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
