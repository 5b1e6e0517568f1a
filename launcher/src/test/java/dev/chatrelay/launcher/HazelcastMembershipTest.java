package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import dev.chatrelay.protocol.config.ConfigSource;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a member does when Hazelcast says its merge back into the cluster failed. */
class HazelcastMembershipTest {

  @Test
  void aFailedMergeEmptiesTheViewAndRunsTheExitAction() {
    int port = FreePorts.find();
    ClusterConfig config = ClusterConfig.from(ConfigSource.of(Map.of(
        ClusterConfig.NAME, "merge-" + UUID.randomUUID(),
        ClusterConfig.MEMBERS, "127.0.0.1:" + port,
        ClusterConfig.PORT, String.valueOf(port))));
    VertxFactory.Created created = VertxFactory.create(config, Role.RELAY).await();
    try {
      HazelcastMembership membership = created.membershipImpl();
      assertEquals(Set.of(created.nodeId()), membership.view().relays());
      AtomicInteger exits = new AtomicInteger();
      membership.onMergeFailed(exits::incrementAndGet);

      membership.stateChanged(new LifecycleEvent(LifecycleState.MERGED));
      assertEquals(0, exits.get(), "a merge that worked keeps the process");
      assertEquals(Set.of(created.nodeId()), membership.view().relays());

      membership.stateChanged(new LifecycleEvent(LifecycleState.MERGE_FAILED));
      assertEquals(1, exits.get());
      assertTrue(membership.view().relays().isEmpty(), "a relay here lets every shard go");
    } finally {
      created.vertx().close().await();
    }
  }
}
