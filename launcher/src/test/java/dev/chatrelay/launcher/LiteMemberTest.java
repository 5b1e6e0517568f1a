package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Gateways and workers as Hazelcast lite members: they hold no partition of Vert.x's maps, wait
 * at start for a data member (a relay) to hold them, and exit when every data member is gone.
 */
class LiteMemberTest {

  private static ClusterConfig member(String name, int port, int peer, boolean lite, long waitMs) {
    Map<String, String> values = new HashMap<>(Map.of(
        ClusterConfig.NAME, name,
        ClusterConfig.MEMBERS, "127.0.0.1:" + port + ",127.0.0.1:" + peer,
        ClusterConfig.PORT, String.valueOf(port),
        ClusterConfig.LITE_MEMBER, String.valueOf(lite),
        ClusterConfig.DATA_MEMBER_WAIT_MS, String.valueOf(waitMs)));
    return ClusterConfig.from(ConfigSource.of(values));
  }

  @Test
  void aLiteMemberWaitsForADataMemberThenSharesTheEventBusAndHoldsNoPartition() {
    String name = "lite-" + UUID.randomUUID();
    int litePort = FreePorts.find();
    int dataPort = FreePorts.find();
    VertxFactory.Created lite = null;
    VertxFactory.Created data = null;
    try {
      Future<VertxFactory.Created> liteStart =
          VertxFactory.create(member(name, litePort, dataPort, true, 120_000), Role.GATEWAY);
      // Joined Hazelcast but no data member yet: the start waits (Vert.x could not write its maps).
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> !liteStart.isComplete());
      data = VertxFactory.create(member(name, dataPort, litePort, false, 120_000), Role.RELAY)
          .await();
      lite = liteStart.await();

      HazelcastInstance liteHz = lite.ownedHazelcast();
      assertTrue(liteHz.getCluster().getLocalMember().isLiteMember());
      assertEquals(0, liteHz.getPartitionService().getPartitions().stream()
          .filter(p -> liteHz.getCluster().getLocalMember().equals(p.getOwner())).count(),
          "a lite member owns no partition");

      lite.vertx().eventBus().<String>consumer("lite-test.echo", m -> m.reply("pong:" + m.body()));
      VertxFactory.Created relay = data;
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
          relay.vertx().eventBus().<String>request("lite-test.echo", "ping")
              .map(Message::body).otherwiseEmpty().await() != null);

      AtomicInteger lost = new AtomicInteger();
      lite.membershipImpl().onDataMembersLost(lost::incrementAndGet);
      data.close().await();
      data = null;
      await().atMost(Duration.ofSeconds(20)).until(() -> lost.get() == 1);
    } finally {
      if (lite != null) {
        lite.close().await();
        assertFalse(lite.ownedHazelcast().getLifecycleService().isRunning(),
            "the launcher stops the Hazelcast member it started");
      }
      if (data != null) {
        data.close().await();
      }
    }
  }

  @Test
  void aLiteMemberAloneFailsAfterTheWaitNamingTheVariable() {
    int port = FreePorts.find();
    Future<VertxFactory.Created> start = VertxFactory.create(
        member("lite-alone-" + UUID.randomUUID(), port, FreePorts.find(), true, 1_000),
        Role.WORKER);
    await().atMost(Duration.ofSeconds(60)).until(start::isComplete);
    assertTrue(start.failed());
    assertTrue(start.cause().getMessage().contains("RELAY_CLUSTER_DATA_MEMBER_WAIT_MS"),
        start.cause().getMessage());
  }
}
