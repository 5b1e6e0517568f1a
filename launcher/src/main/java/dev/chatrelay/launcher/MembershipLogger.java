package dev.chatrelay.launcher;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per cluster membership change (Hazelcast's own membership logs are muted). */
final class MembershipLogger implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipLogger.class);

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("event=cluster.member_joined member={} members={} local={}", event.getMember().getAddress(),
        event.getMembers().size(), event.getCluster().getLocalMember().getAddress());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.info("event=cluster.member_left member={} members={} local={}", event.getMember().getAddress(),
        event.getMembers().size(), event.getCluster().getLocalMember().getAddress());
  }
}
