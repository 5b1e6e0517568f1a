package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.Tokens;
import dev.chatrelay.launcher.RunningSystem;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes layout: relays are Hazelcast data members, gateway and worker lite members.
 * Chat works across it, relays join and leave under live connections without losing a frame,
 * and the gateway stays ready through both handovers (RELAY_READY_SHARD_GRACE_MS).
 */
class LiteMembersClusterTest {

  private static final Logger LOG = LoggerFactory.getLogger(LiteMembersClusterTest.class);
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(30);
  private static final Tokens TOKENS = Tokens.standard();
  private static final Map<String, String> LITE = Map.of("RELAY_CLUSTER_LITE_MEMBER", "true");

  private final Vertx clientVertx = Vertx.vertx();
  private final Pauses pauses = new Pauses();
  private InJvmCluster cluster;
  private Chatter chatter;

  @AfterEach
  void close() {
    if (chatter != null) {
      chatter.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    clientVertx.close().await();
  }

  private static boolean lite(RunningSystem node) {
    return ((HazelcastClusterManager) InJvmCluster.clusterManager(node)).getHazelcastInstance()
        .getCluster().getLocalMember().isLiteMember();
  }

  private void awaitRounds(int more) {
    int target = chatter.rounds() + more;
    await().atMost(CLUSTER_WAIT).until(() -> chatter.rounds() >= target);
  }

  @Test
  void liteGatewaysAndWorkersServeThroughRelayHandoversAndStayReady() throws Exception {
    cluster = new InJvmCluster(4, Map.of("RELAY_READY_SHARD_GRACE_MS", "20000"));
    RunningSystem relayA = cluster.start("relay", 1);
    RunningSystem gateway = cluster.start("gateway", 0, LITE);
    RunningSystem worker = cluster.start("worker", 2, LITE);
    assertTrue(lite(gateway) && lite(worker), "gateway and worker are lite members");
    assertFalse(lite(relayA), "the relay holds the data");
    await().atMost(CLUSTER_WAIT).until(() -> gateway.gatewayRuntime().isReady()
        && InJvmCluster.ownedExactlyBy(gateway, List.of(relayA)));

    List<ChatClient> clients = new ArrayList<>();
    int port = gateway.plan().gateway().httpPort();
    for (int c = 0; c < 4; c++) {
      String sub = "lite" + c;
      clients.add(new ChatClient(clientVertx, sub, TOKENS.valid(sub), List.of(port), 0,
          List.of("t0", "t1", "t2", "t3"), pauses));
    }
    chatter = new Chatter(clients);
    chatter.start();
    awaitRounds(6);

    AtomicInteger notReady = new AtomicInteger();
    long watch = clientVertx.setPeriodic(50, id -> {
      if (!gateway.gatewayRuntime().isReady()) {
        notReady.incrementAndGet();
      }
    });
    RunningSystem relayB = cluster.start("relay", 3);
    await().atMost(CLUSTER_WAIT)
        .until(() -> InJvmCluster.ownedExactlyBy(gateway, List.of(relayA, relayB)));
    awaitRounds(6);
    cluster.stop(relayA);
    await().atMost(CLUSTER_WAIT).until(() -> InJvmCluster.ownedExactlyBy(gateway, List.of(relayB)));
    awaitRounds(6);
    clientVertx.cancelTimer(watch);

    chatter.stopAndSettle();
    try (HistoryApi api = new HistoryApi(clientVertx, port)) {
      int frames = chatter.verify(api, TOKENS::valid);
      LOG.info("lite members: frames checked={} rounds={} longestPauseMs={}", frames,
          chatter.rounds(), pauses.longestBetween(0, Long.MAX_VALUE));
    }
    assertEquals(0, chatter.reconnects(), "relay handovers cost no reconnect");
    assertEquals(0, notReady.get(), "the gateway never left its Service during a handover");
  }
}
