package dev.chatrelay.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareMainTest {

  private static JsonObject run(String label, double framesPerS, double p99, Boolean historyChecked) {
    JsonObject figures = new JsonObject().put("frames_per_s", framesPerS)
        .put("latency", new JsonObject().put("p99_ms", p99)).put("lost", 0L).put("server_cpu_cores", 1.0);
    if (historyChecked != null) {
      figures.put("history_checked", historyChecked);
    }
    return new JsonObject().put("label", label).put("ok", true).put("figures", figures);
  }

  private static String print(List<JsonObject> runs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompareMain.print(runs, "raw", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void headToHeadRatiosArePrintedForPairsMeasuredInTheSameCase() {
    String table = print(List.of(run("raw/chat-closed", 100_000, 5, true), run("relay/chat-closed", 60_000, 10, true),
        run("socketio/chat-closed", 50_000, 13, false), run("cluster/chat-closed", 30_000, 80, true),
        run("socketio-redis/chat-closed", 15_000, 300, false)));
    assertTrue(table.contains("chat-closed    relay / socketio: 1.20 x frames/s (60000 vs 50000), p99 10.00 vs 13.00 ms,"
        + " frames per server cpu-second 60000 vs 50000"), table);
    assertTrue(table.contains("cluster / socketio-redis: 2.00 x frames/s (30000 vs 15000), p99 80.00 vs 300.00 ms"), table);
    assertTrue(table.contains("socketio-redis"), table);
    assertTrue(table.lines().filter(l -> l.contains("history_check=off")).count() == 2, table);
  }

  @Test
  void noHeadToHeadLineWithoutBothSystems() {
    String table = print(List.of(run("relay/chat-closed", 60_000, 10, true), run("socketio-redis/chat-closed", 15_000, 300, false)));
    assertFalse(table.contains(" / "), table);
  }
}
