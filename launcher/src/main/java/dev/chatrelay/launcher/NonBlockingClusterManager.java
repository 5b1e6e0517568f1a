package dev.chatrelay.launcher;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.vertx.core.Completable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Vert.x's Hazelcast cluster manager, except that its listeners never hold up Hazelcast's own
 * threads. Vert.x 5.0.7 handles a departed member inside the manager's monitor with blocking map
 * calls ({@code membersRemoved}: {@code __vertx.subs}, {@code __vertx.nodeInfo}), which wait for
 * partitions to settle (docs/DECISIONS.md):
 * <ul>
 *   <li>on Hazelcast's event thread, they held up every listener sharing that thread: a relay saw
 *       a frozen worker leave only when it thawed, 3.5 s late, and moved its jobs only then;
 *       membership events now run on a thread of their own, in order;
 *   <li>{@code MERGING} waited for the monitor, so in a cluster a merge had just frozen the
 *       merge never ran and the master of the merging half stayed alone; Vert.x does nothing on
 *       {@code MERGING}, so it no longer goes through.
 * </ul>
 */
final class NonBlockingClusterManager extends HazelcastClusterManager {

  /** One thread keeps Vert.x's view of joins and leaves in Hazelcast's order. */
  private final ExecutorService membershipEvents = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "vertx-hazelcast-membership");
    thread.setDaemon(true);
    return thread;
  });

  NonBlockingClusterManager(Config config) {
    super(config);
  }

  NonBlockingClusterManager(HazelcastInstance instance) {
    super(instance);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    membershipEvents.execute(() -> super.memberAdded(event));
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    membershipEvents.execute(() -> super.memberRemoved(event));
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleState.MERGING) {
      return; // Vert.x ignores it too, but only after taking the monitor
    }
    super.stateChanged(event);
  }

  @Override
  public void leave(Completable<Void> promise) {
    super.leave((result, failure) -> {
      membershipEvents.shutdown();
      promise.complete(result, failure);
    });
  }
}
