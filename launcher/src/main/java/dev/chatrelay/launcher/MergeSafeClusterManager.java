package dev.chatrelay.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Vert.x's Hazelcast cluster manager, except that the {@code MERGING} lifecycle event does not
 * wait for the manager's monitor. Vert.x 5.0.7 handles a departed member inside that monitor
 * with blocking map calls ({@code membersRemoved}: {@code __vertx.subs}, {@code
 * __vertx.nodeInfo}); in a cluster a split-brain merge has just frozen they wait for partitions
 * that cannot move until the merge is over, while Hazelcast's {@code ClusterMergeTask} first fires
 * {@code MERGING} to every listener: the merge never ran and the master of the merging half
 * stayed alone and {@code FROZEN} (docs/DECISIONS.md). Vert.x does nothing on {@code MERGING};
 * every other callback still goes through it unchanged.
 */
final class MergeSafeClusterManager extends HazelcastClusterManager {

  MergeSafeClusterManager(Config config) {
    super(config);
  }

  MergeSafeClusterManager(HazelcastInstance instance) {
    super(instance);
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleState.MERGING) {
      return; // Vert.x ignores it too, but only after taking the monitor
    }
    super.stateChanged(event);
  }
}
