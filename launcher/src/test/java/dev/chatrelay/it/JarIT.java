package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.send;
import static dev.chatrelay.it.Conversations.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chatrelay.launcher.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operating contract with the built jar: {@code java -jar relay.jar} with only
 * {@code RELAY_HTTP_PORT} runs embedded, prints a demo token, logs READY, serves a
 * conversation, and stops gracefully on SIGTERM.
 */
class JarIT {

  private static final Pattern DEMO_TOKEN = Pattern.compile("demo token:\\s+(\\S+)");
  /** A cold JVM on a busy 2-core box. */
  private static final long START_SECONDS = 90;
  private static final long STOP_SECONDS = 40;
  /** Exit status of a JVM ended by SIGTERM after its shutdown hooks ran. */
  private static final int EXIT_SIGTERM = 143;

  @Test
  void jarStartsEmbeddedServesAConversationAndStopsOnSigterm() throws Exception {
    Path jar = Path.of(System.getProperty("relay.jar", "target/relay.jar"));
    assumeTrue(Files.isRegularFile(jar), "built jar not present (run mvn verify): " + jar);
    int port = FreePorts.find();
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("RELAY_"));
    builder.environment().put("RELAY_HTTP_PORT", String.valueOf(port));
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> pump(process, output, lines), "relay-jar-output");
    reader.setDaemon(true);
    reader.start();
    Vertx vertx = Vertx.vertx();
    try {
      String token = null;
      String line = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
      while (System.nanoTime() < deadline && (process.isAlive() || !lines.isEmpty())) {
        line = lines.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          continue;
        }
        Matcher m = DEMO_TOKEN.matcher(line);
        if (m.find()) {
          token = m.group(1);
        }
        if (line.contains("READY")) {
          break;
        }
        line = null;
      }
      assertTrue(line != null, "no READY line: " + String.join("\n", output));
      assertTrue(line.contains("http://localhost:" + port + "/"), line);
      assertTrue(token != null, "demo token printed before READY: " + output);
      assertEquals("demo", Tokens.payload(token).getString("sub"));
      assertEquals(1, output.stream().filter(l -> l.contains("READY")).count());

      try (WsTestClient client = WsTestClient.open(vertx, port, WsTestClient.Options.defaults())) {
        client.hello(token);
        subscribe(client, "jar", 0);
        Conversations.Exchange exchange = send(client, "jar", "j1", "from the jar");
        Replies.assertReply(exchange.frames(), "jar", "j1", "from the jar",
            Replies.chunks("from the jar", 8));
        try (HistoryApi api = new HistoryApi(vertx, port)) {
          assertEquals(exchange.frames(), api.allFrames(token, "jar"));
          HistoryApi.Response devToken = api.postJson("/dev/token", null,
              new JsonObject().put("sub", "jar-alice"));
          assertEquals(2, devToken.status() / 100, devToken.toString());
          assertEquals("jar-alice", devToken.json().getString("sub"));
          assertTrue(devToken.json().getLong("exp") > Tokens.nowSeconds());
          try (WsTestClient alice = WsTestClient.open(vertx, port,
              WsTestClient.Options.defaults())) {
            alice.hello(devToken.json().getString("token"));
          }
          assertEquals(200, api.get("/metrics", null).status());
        }
      }

      // SIGTERM through the handle: Process.destroy() also closes the child's stdout, which
      // would lose the shutdown lines asserted below.
      assertTrue(process.toHandle().destroy(), "SIGTERM requested");
      assertTrue(process.waitFor(STOP_SECONDS, TimeUnit.SECONDS), "still running after SIGTERM");
      reader.join(TimeUnit.SECONDS.toMillis(5));
      int exit = process.exitValue();
      assertTrue(exit == EXIT_SIGTERM || exit == 0, "exit " + exit);
      String all = String.join("\n", output);
      assertTrue(all.contains("event=shutdown.step step=drain-gateways"), all);
      assertTrue(all.contains("event=shutdown.complete"), all);
    } finally {
      process.destroyForcibly();
      vertx.close().await();
    }
  }

  private static void pump(Process process, List<String> output, BlockingQueue<String> lines) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.add(line);
        lines.add(line);
      }
    } catch (IOException e) {
      output.add("[output closed: " + e + "]");
    }
  }
}
