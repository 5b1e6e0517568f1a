package dev.chatrelay.launcher;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.spi.cluster.hazelcast.impl.SubsMapHelper;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this process's event-bus registrations into the cluster again shortly after every
 * membership change. A member that was paused runs Vert.x's "members removed" cleanup when it
 * thaws, while it still reaches the others' partitions: it deletes the registrations of every
 * member it believes gone from the shared map (FaultsIT seed 8: 50 of 64 relay shards vanished
 * after a worker's freeze and nobody wrote them again). Vert.x republishes its own only on its
 * own merge or when it sees a member leave, so every member republishes on every change.
 * Vert.x keeps the writer ({@code SubsMapHelper.republishOwnSubs}) behind a private field;
 * without it (another Vert.x version) this does nothing and says so.
 */
final class OwnRegistrations implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(OwnRegistrations.class);
  /** After the change: once its merge settled, once more after late cleanups. */
  private static final long[] DELAYS_MS = {1_000, 5_000};

  private final Vertx vertx;
  private final SubsMapHelper subs;

  OwnRegistrations(Vertx vertx, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.subs = subsOf(clusterManager);
    if (subs != null) {
      clusterManager.getHazelcastInstance().getCluster().addMembershipListener(this);
    }
  }

  private static SubsMapHelper subsOf(HazelcastClusterManager clusterManager) {
    try {
      Field field = HazelcastClusterManager.class.getDeclaredField("subsMapHelper");
      field.setAccessible(true);
      return (SubsMapHelper) field.get(clusterManager);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("event=cluster.registrations_unguarded cause={}", e.toString());
      return null;
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    republishSoon();
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    republishSoon();
  }

  private void republishSoon() {
    for (long delay : DELAYS_MS) {
      vertx.setTimer(delay, id -> vertx.executeBlocking(() -> {
        subs.republishOwnSubs();
        return null;
      }, false).onFailure(err -> LOG.warn("event=cluster.registrations_republish_failed cause={}",
          err.toString())));
    }
  }
}
