package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lite member process (here a worker) started by Main: it waits for a data member, starts,
 * and exits with code 3 once every data member is gone, so Kubernetes restarts it and it
 * registers again; a relay asked to be a lite member exits 2 naming the variable.
 */
class LiteMemberExitTest {

  @Test
  void aLiteWorkerExitsThreeWhenTheLastDataMemberLeaves() throws Exception {
    String name = "lite-exit-" + UUID.randomUUID();
    int dataPort = FreePorts.find();
    int litePort = FreePorts.find();
    String members = "127.0.0.1:" + dataPort + ",127.0.0.1:" + litePort;
    VertxFactory.Created data = VertxFactory.create(ClusterConfig.from(ConfigSource.of(Map.of(
        ClusterConfig.NAME, name, ClusterConfig.MEMBERS, members,
        ClusterConfig.PORT, String.valueOf(dataPort)))), Role.RELAY).await();
    Process process = null;
    try {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp",
          System.getProperty("java.class.path"), Main.class.getName());
      builder.environment().keySet().removeIf(key -> key.startsWith("RELAY_"));
      builder.environment().putAll(Map.of("RELAY_ROLE", "worker", "RELAY_CLUSTER_NAME", name,
          "RELAY_CLUSTER_MEMBERS", members, "RELAY_CLUSTER_PORT", String.valueOf(litePort),
          "RELAY_CLUSTER_LITE_MEMBER", "true", "RELAY_SHUTDOWN_TIMEOUT_MS", "2000",
          "RELAY_CLUSTER_SHUTDOWN_WAIT_SECONDS", "1",
          "RELAY_CLUSTER_DATA_MEMBER_LOSS_GRACE_MS", "3000")); // no merge can come: no need to wait 20 s
      builder.redirectErrorStream(true);
      process = builder.start();
      StringBuffer output = new StringBuffer();
      Process started = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.append(line).append('\n');
          }
        } catch (java.io.IOException ignored) {
          // the process ended
        }
      }, "lite-exit-reader");
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> output.indexOf("READY") >= 0);

      data.close().await();
      data = null;
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the lite worker exits: " + output);
      assertEquals(Main.EXIT_DATA_MEMBERS_LOST, process.exitValue(), output.toString());
      assertTrue(output.indexOf("event=cluster.exit reason=no-data-member") >= 0, output.toString());
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      if (data != null) {
        data.close().await();
      }
    }
  }
}
