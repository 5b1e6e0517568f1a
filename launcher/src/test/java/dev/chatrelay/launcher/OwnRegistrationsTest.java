package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;

import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A registration deleted from the cluster's map behind this member's back (what a thawed
 * member's cleanup does) is written again after the next membership change.
 */
class OwnRegistrationsTest {

  @Test
  void aDeletedRegistrationIsWrittenAgainAfterAMembershipChange() {
    int port = FreePorts.find();
    ClusterConfig config = ClusterConfig.from(ConfigSource.of(Map.of(
        ClusterConfig.NAME, "own-" + UUID.randomUUID(),
        ClusterConfig.MEMBERS, "127.0.0.1:" + port,
        ClusterConfig.PORT, String.valueOf(port))));
    VertxFactory.Created created = VertxFactory.create(config, Role.RELAY).await();
    try {
      HazelcastClusterManager manager = (HazelcastClusterManager) created.clusterManager();
      OwnRegistrations guard = new OwnRegistrations(created.vertx(), manager);
      created.vertx().eventBus().consumer("own-registrations.test", m -> { })
          .completion().await();
      await().atMost(Duration.ofSeconds(10)).until(() -> registered(manager));

      manager.getHazelcastInstance().getMultiMap("__vertx.subs").clear();
      await().atMost(Duration.ofSeconds(10)).until(() -> !registered(manager));

      guard.memberAdded(null); // as when a member comes back
      await().atMost(Duration.ofSeconds(10)).until(() -> registered(manager));
    } finally {
      created.vertx().close().await();
    }
  }

  private static boolean registered(HazelcastClusterManager manager) {
    Promise<List<RegistrationInfo>> answer = Promise.promise();
    manager.getRegistrations("own-registrations.test", answer);
    return !answer.future().await().isEmpty();
  }
}
