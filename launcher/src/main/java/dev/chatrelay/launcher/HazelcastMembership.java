package dev.chatrelay.launcher;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import dev.chatrelay.protocol.cluster.ClusterMembership;
import dev.chatrelay.protocol.cluster.ClusterView;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterMembership} on Hazelcast's member list. Each member carries two attributes set
 * before it joins: the Vert.x node id (set by the Vert.x cluster manager) and its roles
 * ({@link #ROLES_ATTRIBUTE}), so a member's roles are known the moment it is seen, with no
 * lookup that could race its arrival. A member that dies is dropped after the failure detection
 * of {@link ClusterConfig} and {@link SilentMemberSweep} (heartbeat 1 s, dropped after 4.5 s by
 * default).
 */
final class HazelcastMembership implements ClusterMembership, MembershipListener,
    LifecycleListener {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastMembership.class);
  /** Member attribute with the comma-separated roles of the member's process. */
  static final String ROLES_ATTRIBUTE = "chatrelay.roles";
  /** Member attribute the Vert.x Hazelcast cluster manager stores its node id in. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final HazelcastInstance hazelcast;
  private final String localNode;
  private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();
  private final UUID registration;
  private final UUID lifecycleRegistration;
  private volatile ClusterView view;
  private volatile Runnable dataMembersLost = () -> { };
  private final AtomicBoolean dataMembersGone = new AtomicBoolean();
  /** Runs when a split-brain merge failed: this member is in no cluster and will not rejoin. */
  private volatile Runnable onMergeFailed = () -> { };

  HazelcastMembership(HazelcastInstance hazelcast, String localNode) {
    this.hazelcast = hazelcast;
    this.localNode = localNode;
    this.registration = hazelcast.getCluster().addMembershipListener(this);
    this.lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(this);
    this.view = viewOf(hazelcast.getCluster().getMembers());
    LOG.info("event=cluster.view node={} members={} relays={}", localNode, view.members().size(),
        view.relays().size());
  }

  @Override
  public ClusterView view() {
    return view;
  }

  @Override
  public Listening listen(Consumer<ClusterView> listener) {
    listeners.add(listener);
    listener.accept(view);
    return () -> listeners.remove(listener);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    changed(event);
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    changed(event);
  }

  /**
   * This member is going down (or was cut off and terminated): it is in no cluster any more, so
   * its view becomes empty and a relay here lets every shard go instead of competing with the
   * relays the others now see as owners. After a split-brain merge the list is read afresh.
   */
  @Override
  public void stateChanged(LifecycleEvent event) {
    switch (event.getState()) {
      case SHUTTING_DOWN -> publish(new ClusterView(localNode, Set.of(), Set.of()));
      case MERGED -> publish(viewOf(hazelcast.getCluster().getMembers()));
      case MERGE_FAILED -> {
        LOG.error("event=cluster.merge_failed node={} action=exit", localNode);
        publish(new ClusterView(localNode, Set.of(), Set.of()));
        onMergeFailed.run();
      }
      default -> { }
    }
  }

  /** What to do when a merge back into the cluster failed (Main: exit so it is restarted). */
  void onMergeFailed(Runnable action) {
    this.onMergeFailed = action;
  }

  /** Stops listening to Hazelcast (before the cluster manager leaves). */
  void close() {
    listeners.clear();
    try {
      hazelcast.getCluster().removeMembershipListener(registration);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
    } catch (RuntimeException e) {
      LOG.debug("event=cluster.listener_not_removed error={}", e.toString());
    }
  }

  /**
   * Runs {@code action} when this lite member sees no data member left: Vert.x's maps are gone
   * with them and its own registrations are not written again when a relay comes back, so the
   * process must restart (Main exits; Kubernetes starts it anew and it waits for a relay).
   */
  void onDataMembersLost(Runnable action) {
    dataMembersLost = action;
  }

  /** One view per event, in event order; the event's member set is the list after it. */
  private void changed(MembershipEvent event) {
    publish(viewOf(event.getMembers()));
    if (hazelcast.getCluster().getLocalMember().isLiteMember()
        && !LiteMemberStart.hasDataMember(event.getMembers())
        && dataMembersGone.compareAndSet(false, true)) { // once: later leaves change nothing
      LOG.error("event=cluster.data_members_lost node={} members={}", localNode,
          event.getMembers().size());
      dataMembersLost.run();
    } else if (LiteMemberStart.hasDataMember(event.getMembers())) {
      dataMembersGone.set(false); // a data member is back (a merge): a later loss counts again
    }
  }

  /** Whether this member sees a data member (a relay) now. */
  boolean hasDataMember() {
    return LiteMemberStart.hasDataMember(hazelcast.getCluster().getMembers());
  }

  private synchronized void publish(ClusterView next) {
    view = next;
    LOG.info("event=cluster.view node={} members={} relays={}", localNode, view.members().size(),
        view.relays().size());
    for (Consumer<ClusterView> listener : listeners) {
      try {
        listener.accept(view);
      } catch (RuntimeException e) {
        LOG.error("event=cluster.view_listener_failed error={}", e.toString(), e);
      }
    }
  }

  private ClusterView viewOf(Set<Member> members) {
    Set<String> nodes = new TreeSet<>();
    Set<String> relays = new TreeSet<>();
    for (Member member : members) {
      String node = member.getAttribute(NODE_ID_ATTRIBUTE);
      if (node == null) {
        continue; // not a Vert.x member
      }
      nodes.add(node);
      if (hasRole(member.getAttribute(ROLES_ATTRIBUTE), Role.RELAY)) {
        relays.add(node);
      }
    }
    return new ClusterView(localNode, nodes, relays);
  }

  static boolean hasRole(String roles, Role role) {
    return roles != null && Arrays.asList(roles.split(",")).contains(role.wire());
  }

  /** The attribute value for a process running {@code role}. */
  static String rolesAttribute(Role role) {
    List<String> roles = new java.util.ArrayList<>();
    if (role.runsGateway()) {
      roles.add(Role.GATEWAY.wire());
    }
    if (role.runsRelay()) {
      roles.add(Role.RELAY.wire());
    }
    if (role.runsWorker()) {
      roles.add(Role.WORKER.wire());
    }
    return String.join(",", roles);
  }
}
