package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.Tokens;
import dev.chatrelay.launcher.RunningSystem;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay, worker and gateway as separate cluster nodes in one JVM (Hazelcast on loopback, Redis
 * journal): shards follow relay membership, and clients chatting through a relay joining,
 * leaving and crashing see every frame once, in order, on the connection they opened.
 */
class ClusterFailoverTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverTest.class);
  /** Joining, shard moves and failure detection (4 s) with room to spare on a busy box. */
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(30);
  private static final Tokens TOKENS = Tokens.standard();

  private final Vertx clientVertx = Vertx.vertx();
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

  private final Pauses pauses = new Pauses();

  private Chatter chat(RunningSystem gateway, int clients, int threadsEach) {
    int port = gateway.plan().gateway().httpPort();
    List<ChatClient> list = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<String> threads = new ArrayList<>();
      for (int t = 0; t < threadsEach; t++) {
        threads.add("t" + t);
      }
      String sub = "user" + c;
      list.add(new ChatClient(clientVertx, sub, TOKENS.valid(sub), List.of(port), 0, threads,
          pauses));
    }
    chatter = new Chatter(list);
    return chatter;
  }

  private void awaitRounds(int more) {
    int target = chatter.rounds() + more;
    await().atMost(CLUSTER_WAIT).until(() -> chatter.rounds() >= target);
  }

  @Test
  void shardsFollowRelayMembershipAndALiveSubscriberMissesNothing() throws Exception {
    cluster = new InJvmCluster(4, Map.of());
    RunningSystem gateway = cluster.start("gateway", 0);
    assertFalse(gateway.gatewayRuntime().isReady(), "no relay yet: not ready");
    RunningSystem relayA = cluster.start("relay", 1);
    cluster.start("worker", 2);
    await().atMost(CLUSTER_WAIT).until(() -> gateway.gatewayRuntime().isReady());
    assertTrue(InJvmCluster.ownedExactlyBy(gateway, List.of(relayA)));

    chat(gateway, 4, 6).start();
    awaitRounds(8);
    RunningSystem relayB = cluster.start("relay", 3);
    await().atMost(CLUSTER_WAIT)
        .until(() -> InJvmCluster.ownedExactlyBy(gateway, List.of(relayA, relayB)));
    awaitRounds(8);
    cluster.stop(relayA);
    await().atMost(CLUSTER_WAIT).until(() -> InJvmCluster.ownedExactlyBy(gateway, List.of(relayB)));
    awaitRounds(8);

    chatter.stopAndSettle();
    try (HistoryApi api = new HistoryApi(clientVertx, gateway.plan().gateway().httpPort())) {
      int frames = chatter.verify(api, TOKENS::valid);
      LOG.info("hand-over checked frames={} rounds={} longestPauseMs={}", frames,
          chatter.rounds(), pauses.longestBetween(0, Long.MAX_VALUE));
    }
    assertEquals(0, chatter.reconnects(), "shards moved under live connections");
  }

  @Test
  void aCrashedRelayCostsAPauseNotAReconnectNorAFrame() throws Exception {
    cluster = new InJvmCluster(4, Map.of("RELAY_SCRIPTED_DELAY_MS", "100"));
    RunningSystem gateway = cluster.start("gateway", 0);
    RunningSystem relayA = cluster.start("relay", 1);
    RunningSystem relayB = cluster.start("relay", 2);
    cluster.start("worker", 3);
    await().atMost(CLUSTER_WAIT).until(() -> gateway.gatewayRuntime().isReady()
        && InJvmCluster.ownedExactlyBy(gateway, List.of(relayA, relayB)));

    chat(gateway, 4, 6).start();
    awaitRounds(8);
    long crashedAt = System.currentTimeMillis();
    cluster.crash(relayA); // replies of its shards are mid-stream: 8 chunks x 100 ms
    await().atMost(CLUSTER_WAIT).until(() -> InJvmCluster.ownedExactlyBy(gateway, List.of(relayB)));
    long movedAt = System.currentTimeMillis();
    awaitRounds(8);

    chatter.stopAndSettle();
    try (HistoryApi api = new HistoryApi(clientVertx, gateway.plan().gateway().httpPort())) {
      int frames = chatter.verify(api, TOKENS::valid);
      LOG.info("relay crash: shards moved after {} ms; longest pause after it {} ms; frames "
          + "checked={}", movedAt - crashedAt,
          pauses.longestBetween(crashedAt, Long.MAX_VALUE), frames);
    }
    assertEquals(0, chatter.reconnects(), "a relay crash costs no reconnect");
  }
}
