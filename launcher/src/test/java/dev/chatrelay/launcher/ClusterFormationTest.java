package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two Hazelcast members in one JVM, built exactly as Main builds them. */
class ClusterFormationTest {

  private static ClusterConfig member(String name, int port, int... all) {
    StringBuilder members = new StringBuilder();
    for (int p : all) {
      members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
    }
    return ClusterConfig.from(ConfigSource.of(Map.of(
        ClusterConfig.NAME, name,
        ClusterConfig.MEMBERS, members.toString(),
        ClusterConfig.PORT, String.valueOf(port))));
  }

  @Test
  void twoMembersFormAClusterShareTheEventBusAndSeeALeave() {
    String name = "test-" + UUID.randomUUID();
    int portA = FreePorts.find();
    int portB = FreePorts.find();
    VertxFactory.Created a = null;
    VertxFactory.Created b = null;
    try (LogCapture logs = new LogCapture()) {
      a = VertxFactory.create(member(name, portA, portA, portB)).await();
      b = VertxFactory.create(member(name, portB, portA, portB)).await();
      VertxFactory.Created first = a;
      VertxFactory.Created second = b;
      await().atMost(Duration.ofSeconds(20)).until(() ->
          first.clusterManager().getNodes().size() == 2
              && second.clusterManager().getNodes().size() == 2);
      String aSeesBJoin = "event=cluster.member_joined member=[127.0.0.1]:" + portB
          + " members=2 local=[127.0.0.1]:" + portA;
      await().atMost(Duration.ofSeconds(5)).until(() -> !logs.lines(aSeesBJoin).isEmpty());
      assertEquals(1, logs.lines(aSeesBJoin).size(),
          "one line per membership change: " + logs.lines("event=cluster.member_"));

      b.vertx().eventBus().<String>consumer("cluster-test.echo", m -> m.reply("pong:" + m.body()));
      Vertx va = a.vertx();
      // The consumer's registration reaches the other member asynchronously: retry until it does.
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
          va.eventBus().<String>request("cluster-test.echo", "ping")
              .map(Message::body).otherwiseEmpty().await() != null);
      assertEquals("pong:ping",
          va.eventBus().<String>request("cluster-test.echo", "ping").await().body());

      b.vertx().close().await();
      b = null;
      await().atMost(Duration.ofSeconds(10)).until(() ->
          first.clusterManager().getNodes().size() == 1);
      String aSeesBLeave = "event=cluster.member_left member=[127.0.0.1]:" + portB
          + " members=1 local=[127.0.0.1]:" + portA;
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.lines(aSeesBLeave).size() == 1);
    } finally {
      for (VertxFactory.Created node : Arrays.asList(a, b)) {
        if (node == null) {
          continue;
        }
        node.vertx().close().await();
      }
    }
  }
}
