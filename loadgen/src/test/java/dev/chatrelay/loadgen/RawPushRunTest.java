package dev.chatrelay.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.loadgen.raw.RawPushServer;
import dev.chatrelay.loadgen.report.RunResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver, in this JVM, against the raw push server on a random port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawPushRunTest {

  private static final String SECRET = "raw-push-test-secret";

  private final Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private RawPushServer server;

  @AfterEach
  void stop() {
    serverVertx.close().await();
  }

  private int start(RawPushServer.Options options) {
    server = new RawPushServer(serverVertx, options);
    return server.start().await();
  }

  private static LoadOptions options(int port, String... extra) {
    List<String> args = new ArrayList<>(List.of("--url", "ws://127.0.0.1:" + port + "/ws", "--secret", SECRET,
        "--warmup-s", "0", "--drain-s", "10"));
    args.addAll(List.of(extra));
    return LoadOptions.parse(args.toArray(String[]::new), Map.of());
  }

  @Test
  void closedLoopChatForTwoSecondsHasNoViolation() {
    int port = start(RawPushServer.Options.defaults(0, SECRET));
    RunResult r = LoadRun.run(options(port, "--scenario", "chat", "--users", "20", "--duration-s", "2"));
    JsonObject f = r.figures();
    assertEquals(0, r.violations(), r.firstViolations().toString());
    assertTrue(r.ok());
    assertEquals(20, f.getInteger("connections"));
    assertTrue(f.getLong("frames") > 1000, f.encode());
    assertEquals(0L, f.getLong("lost"));
    assertTrue(f.getJsonObject("latency").getLong("samples") > 0);
    assertEquals(f.getLong("frames_total"), f.getLong("sends") * 12, "every send answered by 12 frames");
  }

  @Test
  void droppedFrameIsCaught() {
    int port = start(RawPushServer.Options.defaults(0, SECRET).withDropSeq(5));
    RunResult r = LoadRun.run(options(port, "--scenario", "chat", "--users", "4", "--duration-s", "1", "--drain-s", "2"));
    assertTrue(server.dropped());
    assertFalse(r.ok());
    assertTrue(r.firstViolations().stream().anyMatch(v -> v.contains("gap: expected seq 5")), r.firstViolations().toString());
  }

  @Test
  void pacedFanoutHasNoViolation() {
    int port = start(RawPushServer.Options.defaults(0, SECRET));
    RunResult r = LoadRun.run(options(port, "--scenario", "fanout", "--users", "5", "--connections-per-user", "3",
        "--rate", "1200", "--duration-s", "2"));
    assertEquals(0, r.violations(), r.firstViolations().toString());
    assertEquals(15, r.figures().getInteger("connections"));
    assertEquals("rate", r.figures().getString("mode"));
    assertTrue(r.figures().getLong("frames") > 0);
  }

  @Test
  void stormResumesEveryConnectionWithoutLoss() {
    int port = start(RawPushServer.Options.defaults(0, SECRET));
    RunResult r = LoadRun.run(options(port, "--scenario", "storm", "--users", "50", "--duration-s", "1",
        "--storm-cut-after-ms", "0"));
    JsonObject f = r.figures();
    assertEquals(0, r.violations(), r.firstViolations().toString());
    assertEquals(50, f.getInteger("storm_resumed"));
    assertTrue(f.getLong("storm_resumed_ms") >= 0, f.encode());
    assertTrue(f.getLong("storm_caught_up_ms") >= 0, f.encode());
    assertEquals(0L, f.getLong("lost"));
    assertEquals(50L, f.getJsonObject("close_codes").getLong("1006"), "every first connection cut: " + f.encode());
  }

  @Test
  void idleConnectionsStaySubscribed() {
    int port = start(RawPushServer.Options.defaults(0, SECRET));
    RunResult r = LoadRun.run(options(port, "--scenario", "idle", "--users", "30", "--duration-s", "1"));
    assertEquals(0, r.violations(), r.firstViolations().toString());
    assertEquals(30, r.figures().getInteger("connections"));
    assertEquals(-1L, r.figures().getLong("heap_per_connection_jcmd_bytes"), "no pid given");
  }
}
