package dev.chatrelay.launcher;

import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.cluster.impl.ClusterHeartbeatManager;
import com.hazelcast.internal.cluster.impl.ClusterServiceImpl;
import java.util.ArrayList;
import java.util.List;

/**
 * Hazelcast's own member list, heartbeat times and suspicion, for {@link SilentMemberSweep}.
 * Internal API of Hazelcast 5.3 (the version the Vert.x BOM fixes); {@code SilentMemberSweepTest}
 * runs it against two real members, so an upgrade that changes it fails there.
 */
final class HazelcastHeartbeats implements SilentMemberSweep.Cluster {

  private final ClusterServiceImpl service;
  private final ClusterHeartbeatManager heartbeats;

  HazelcastHeartbeats(HazelcastInstance hazelcast) {
    this.service = (ClusterServiceImpl) hazelcast.getCluster();
    this.heartbeats = service.getClusterHeartbeatManager();
  }

  @Override
  public boolean joined() {
    return service.isJoined();
  }

  @Override
  public List<MemberImpl> members() {
    return new ArrayList<>(service.getMemberImpls());
  }

  @Override
  public MemberImpl local() {
    return service.getLocalMember();
  }

  @Override
  public long now() {
    return service.getClusterTime();
  }

  @Override
  public long lastHeartbeat(MemberImpl member) {
    return heartbeats.getLastHeartbeatTime(member);
  }

  /** As Hazelcast's own check does: the member is suspected and its connections closed. */
  @Override
  public void suspect(MemberImpl member, String reason) {
    service.suspectMember(member, reason, true);
  }
}
