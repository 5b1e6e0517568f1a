package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard charts only meters the code registers: each {@code relay_*} series in
 * k8s/dashboards/grafana-chat-relay.json, without its Prometheus suffix, is the Prometheus form
 * of a Micrometer meter name built somewhere in the main sources.
 */
class DashboardMetricsTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern METER = Pattern.compile(
      "(?:Counter|Timer|Gauge|DistributionSummary)\\.builder\\(\"(relay\\.[a-z0-9_.]+)\"");
  private static final Pattern SERIES = Pattern.compile("\\b(relay_[a-z0-9_]+)");
  private static final Pattern SUFFIX = Pattern.compile("(_seconds)?(_total|_count|_sum|_max)?$");

  @Test
  void everyDashboardSeriesIsAMeterTheCodeRegisters() throws IOException {
    Set<String> meters = new TreeSet<>();
    for (String module : List.of("gateway-verticle", "relay-verticle", "worker-verticle", "launcher")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
          Matcher m = METER.matcher(read(p));
          while (m.find()) {
            meters.add(m.group(1).replace('.', '_'));
          }
        });
      }
    }
    assertTrue(meters.contains("relay_gateway_connections"), "meters found: " + meters);
    String dashboard = read(REPO.resolve("k8s/dashboards/grafana-chat-relay.json"));
    Set<String> unknown = new TreeSet<>();
    Set<String> charted = new TreeSet<>();
    Matcher series = SERIES.matcher(dashboard);
    while (series.find()) {
      String base = SUFFIX.matcher(series.group(1)).replaceFirst("");
      charted.add(base);
      if (!meters.contains(base)) {
        unknown.add(series.group(1));
      }
    }
    assertTrue(unknown.isEmpty(), "charted but registered nowhere: " + unknown + "; meters: " + meters);
    assertTrue(charted.size() >= 10, "connections, frames, resumes, closes, journal, jobs, moves: " + charted);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
