package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.version.MemberVersion;
import dev.chatrelay.protocol.config.ConfigSource;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who the sweep suspects and in which order: every silent member at once, those behind this one
 * in the member list before those ahead of it (the election starts with the last of those), and
 * nobody after this process itself was paused. Also checks, on two real Hazelcast members, that
 * the internal API it reads still answers as it expects.
 */
class SilentMemberSweepTest {

  private static final long MAX_SILENCE_MS = 4_000;
  private static final long HEARTBEAT_MS = 1_000;

  @Test
  void ordersSilentMembersBehindFirstThenAheadAndSkipsLiveOnes() {
    List<String> members = List.of("m0", "m1", "me", "m3", "m4", "m5");
    List<String> silent = List.of("m0", "m1", "m4", "m5");
    assertEquals(List.of("m4", "m5", "m0", "m1"),
        SilentMemberSweep.suspicionOrder(members, "me", silent::contains, m -> false));
    assertEquals(List.of("m1"),
        SilentMemberSweep.suspicionOrder(List.of("m0", "m1", "me"), "me", "m1"::equals,
            m -> false));
    assertEquals(List.of(),
        SilentMemberSweep.suspicionOrder(List.of("me", "m1"), "me", m -> false, m -> false));
  }

  @Test
  void membersAheadWaitWhileOneBehindHasMissedAHeartbeatButIsNotSilentYet() {
    List<String> members = List.of("m0", "me", "m2", "m3");
    assertEquals(List.of("m2"), SilentMemberSweep.suspicionOrder(members, "me",
        m -> m.equals("m0") || m.equals("m2"), "m3"::equals), "m0 waits for m3's verdict");
    assertEquals(List.of("m2", "m3", "m0"), SilentMemberSweep.suspicionOrder(members, "me",
        m -> !m.equals("me"), m -> false));
  }

  @Test
  void suspectsEverySilentMemberInOneSweepTheOnesBehindFirstAndEachOnce() throws Exception {
    FakeCluster cluster = new FakeCluster(6);
    MemberImpl master = cluster.members.get(0);
    MemberImpl ahead = cluster.members.get(1);
    MemberImpl behindLive = cluster.members.get(3);
    MemberImpl behindSilent = cluster.members.get(4);
    MemberImpl behindJustInTime = cluster.members.get(5);
    cluster.now = 100_000;
    cluster.heartbeat(master, 100_000 - MAX_SILENCE_MS);
    cluster.heartbeat(ahead, 100_000 - MAX_SILENCE_MS - 500);
    cluster.heartbeat(behindLive, 100_000 - 200);
    cluster.heartbeat(behindSilent, 100_000 - MAX_SILENCE_MS - 10);
    cluster.heartbeat(behindJustInTime, 100_000 - MAX_SILENCE_MS + 1);
    SilentMemberSweep sweep = new SilentMemberSweep(cluster, MAX_SILENCE_MS, HEARTBEAT_MS, 0);
    try {
      long t = 0;
      sweep.tick(t);
      assertEquals(List.of(behindSilent), cluster.suspected,
          "behind this member first; those ahead wait: a member behind missed heartbeats");

      cluster.now += 100;
      sweep.tick(t += ms(100));
      assertEquals(List.of(behindSilent, behindJustInTime, master, ahead), cluster.suspected,
          "once it is silent too, those ahead, each once, the master among the last");

      cluster.heartbeat(master, cluster.now);
      cluster.now += MAX_SILENCE_MS;
      sweep.tick(t += ms(100));
      assertEquals(master, cluster.suspected.get(cluster.suspected.size() - 1),
          "a member that heartbeated since is suspected again when silent again");
    } finally {
      sweep.close();
    }
  }

  @Test
  void suspectsNobodyForAWhileAfterThisProcessWasPaused() throws Exception {
    FakeCluster cluster = new FakeCluster(3);
    cluster.now = 50_000;
    cluster.heartbeat(cluster.members.get(0), 50_000);
    cluster.heartbeat(cluster.members.get(1), 50_000);
    SilentMemberSweep sweep = new SilentMemberSweep(cluster, MAX_SILENCE_MS, HEARTBEAT_MS, 0);
    try {
      sweep.tick(0);
      cluster.now += 8_000; // SIGSTOP for 8 s: every heartbeat this process holds is old
      long t;
      for (t = 8_000; t < 8_000 + MAX_SILENCE_MS; t += 100) {
        sweep.tick(ms(t));
      }
      assertTrue(cluster.suspected.isEmpty(), "Hazelcast's own check decides after a pause");
      sweep.tick(ms(t));
      assertEquals(2, cluster.suspected.size(), "still silent once the pause is over");
    } finally {
      sweep.close();
    }
  }

  @Test
  void readsHazelcastsHeartbeatsAndLeavesLiveMembersAlone() {
    int first = FreePorts.find();
    int second = FreePorts.find();
    String name = "sweep-" + UUID.randomUUID();
    HazelcastInstance one = Hazelcast.newHazelcastInstance(config(name, first, second, first));
    HazelcastInstance two = Hazelcast.newHazelcastInstance(config(name, first, second, second));
    SilentMemberSweep.Cluster cluster = new HazelcastHeartbeats(one);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.members().size() == 2);
      assertEquals(cluster.local(), cluster.members().get(0), "the first member is the oldest");
      MemberImpl other = cluster.members().get(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.lastHeartbeat(other) > 0);
      long seen = cluster.lastHeartbeat(other);
      // heartbeats every second: a later one arrives, stamped in cluster time like now()
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.lastHeartbeat(other) > seen);
      assertTrue(Math.abs(cluster.now() - cluster.lastHeartbeat(other)) < MAX_SILENCE_MS);
      assertTrue(cluster.joined());
      assertEquals(2, two.getCluster().getMembers().size());
    } finally {
      two.getLifecycleService().terminate();
      one.getLifecycleService().terminate();
    }
  }

  private static Config config(String name, int first, int second, int own) {
    ClusterConfig cluster = ClusterConfig.from(ConfigSource.of(Map.of(
        ClusterConfig.NAME, name,
        ClusterConfig.MEMBERS, "127.0.0.1:" + first + ",127.0.0.1:" + second,
        ClusterConfig.PORT, String.valueOf(own))));
    return ClusterSetup.hazelcastConfig(cluster, Role.RELAY);
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Members m0 (the master) .. m(n-1); this process is m2, or the last when n < 3. */
  private static final class FakeCluster implements SilentMemberSweep.Cluster {
    final List<MemberImpl> members = new ArrayList<>();
    final Map<MemberImpl, Long> heartbeats = new HashMap<>();
    final List<MemberImpl> suspected = new ArrayList<>();
    long now;

    FakeCluster(int size) throws UnknownHostException {
      for (int i = 0; i < size; i++) {
        members.add(new MemberImpl(new Address("127.0.0.1", 5701 + i), MemberVersion.of(5, 3, 8),
            i == Math.min(2, size - 1), UUID.randomUUID()));
      }
    }

    void heartbeat(MemberImpl member, long at) {
      heartbeats.put(member, at);
    }

    @Override
    public boolean joined() {
      return true;
    }

    @Override
    public List<MemberImpl> members() {
      return new ArrayList<>(members);
    }

    @Override
    public MemberImpl local() {
      return members.get(Math.min(2, members.size() - 1));
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public long lastHeartbeat(MemberImpl member) {
      return heartbeats.getOrDefault(member, 0L);
    }

    @Override
    public void suspect(MemberImpl member, String reason) {
      suspected.add(member);
    }
  }
}
