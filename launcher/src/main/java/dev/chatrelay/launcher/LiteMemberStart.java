package dev.chatrelay.launcher;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Hazelcast member of a lite process (gateway, worker) before Vert.x uses it. Vert.x
 * keeps its node infos and event-bus registrations in partitioned Hazelcast maps, which live on
 * data members only: a lite member alone cannot write them (its Vert.x start would fail). So the
 * member joins first and waits until a data member (a relay) is in the cluster, at most
 * {@code RELAY_CLUSTER_DATA_MEMBER_WAIT_MS}; Vert.x then runs on that instance.
 */
final class LiteMemberStart {

  private static final Logger LOG = LoggerFactory.getLogger(LiteMemberStart.class);
  /** Member attribute the Vert.x Hazelcast cluster manager reads its node id from. */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private LiteMemberStart() {}

  /** Joins with {@code config} on a thread of its own; fails after {@code waitMs} without a data member. */
  static Future<HazelcastInstance> start(Config config, long waitMs) {
    config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, UUID.randomUUID().toString());
    CompletableFuture<HazelcastInstance> started = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        started.complete(joinAndWait(config, waitMs));
      } catch (Throwable e) {
        started.completeExceptionally(e);
      }
    }, "lite-member-start");
    thread.setDaemon(true);
    thread.start();
    return Future.fromCompletionStage(started);
  }

  private static HazelcastInstance joinAndWait(Config config, long waitMs)
      throws InterruptedException {
    HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config);
    CountDownLatch dataMember = new CountDownLatch(1);
    UUID registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        if (hasDataMember(event.getMembers())) {
          dataMember.countDown();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) { }
    });
    try {
      if (!hasDataMember(hazelcast.getCluster().getMembers())) {
        LOG.info("event=cluster.lite.waiting waitMs={}", waitMs);
        if (!dataMember.await(waitMs, TimeUnit.MILLISECONDS)) {
          hazelcast.shutdown();
          throw new IllegalStateException("no data member (relay) joined the cluster within "
              + ClusterConfig.DATA_MEMBER_WAIT_MS + "=" + waitMs + " ms");
        }
      }
    } finally {
      if (hazelcast.getLifecycleService().isRunning()) {
        hazelcast.getCluster().removeMembershipListener(registration);
      }
    }
    LOG.info("event=cluster.lite.joined members={}", hazelcast.getCluster().getMembers().size());
    return hazelcast;
  }

  static boolean hasDataMember(Set<Member> members) {
    return members.stream().anyMatch(member -> !member.isLiteMember());
  }
}
