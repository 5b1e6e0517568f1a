package dev.chatrelay.launcher;

import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Suspects every member silent past {@link #maxSilenceMs} at once, those behind this member in
 * Hazelcast's member list first. Hazelcast's own check suspects one member
 * at a time in list order, and the election it starts once the last member ahead of this one is
 * suspected asks every member not suspected yet, waiting up to 5 s on each that is silent too, so
 * a split's other half elected late depending on member order (docs/DECISIONS.md). Here the
 * election starts only after every silent member is suspected, so it asks live members only.
 * Hazelcast's own deadline is later ({@link ClusterSetup}) and stays the backstop.
 * Reads and acts through {@link HazelcastHeartbeats} (Hazelcast internals).
 */
final class SilentMemberSweep implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SilentMemberSweep.class);

  /** What the sweep reads from and does to the cluster (Hazelcast's, or a test's). */
  interface Cluster {
    boolean joined();

    /** Members in Hazelcast's order, oldest (the master) first. */
    List<MemberImpl> members();

    MemberImpl local();

    /** Cluster time, the clock heartbeats are stamped with. */
    long now();

    /** When {@code member}'s last heartbeat arrived, 0 if none yet. */
    long lastHeartbeat(MemberImpl member);

    void suspect(MemberImpl member, String reason);
  }

  private final Cluster cluster;
  private final long maxSilenceMs;
  /** Silent this long, a member has missed a heartbeat: members ahead wait for its verdict. */
  private final long laggingMs;
  private final ScheduledExecutorService timer;
  /** The heartbeat time each member was suspected at here: again only after a newer one. */
  private final Map<UUID, Long> suspectedAt = new HashMap<>();
  private boolean ticked;
  private long lastTickNanos;
  private boolean quiet;
  private long quietUntilNanos;

  /** A sweep driven by {@link #tick} alone (tests), or by its timer every {@code checkMs} (> 0). */
  SilentMemberSweep(Cluster cluster, long maxSilenceMs, long heartbeatMs, long checkMs) {
    this.cluster = cluster;
    this.maxSilenceMs = maxSilenceMs;
    this.laggingMs = heartbeatMs + heartbeatMs / 2;
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cluster-silence-sweep");
      thread.setDaemon(true);
      return thread;
    });
    if (checkMs > 0) {
      timer.scheduleWithFixedDelay(this::safeTick, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }
  }

  /** Sweeps {@code hazelcast}'s members every {@code RELAY_CLUSTER_SUSPICION_CHECK_MS}. */
  static SilentMemberSweep start(HazelcastInstance hazelcast, ClusterConfig config) {
    long heartbeatMs = TimeUnit.SECONDS.toMillis(config.heartbeatIntervalSeconds());
    return new SilentMemberSweep(new HazelcastHeartbeats(hazelcast), maxSilenceMs(config),
        heartbeatMs, config.suspicionCheckMs());
  }

  /**
   * The deadline: {@code RELAY_CLUSTER_MAX_NO_HEARTBEAT_SECONDS} and half a heartbeat, the middle
   * of where Hazelcast's own check, once per heartbeat, fell: a tighter one suspects live members
   * whose heartbeats a loaded box merely delayed (docs/DECISIONS.md).
   */
  static long maxSilenceMs(ClusterConfig config) {
    long heartbeatMs = TimeUnit.SECONDS.toMillis(config.heartbeatIntervalSeconds());
    return TimeUnit.SECONDS.toMillis(config.maxNoHeartbeatSeconds()) + heartbeatMs / 2;
  }

  /**
   * The members to suspect now, in order: the silent ones behind {@code local} in {@code members}
   * (Hazelcast's order, oldest first), then the silent ones ahead of it, whose suspicion starts
   * the election. Those ahead wait while a member behind is {@code lagging} (it missed a
   * heartbeat but is not silent yet): in a split the other half's members fall silent up to one
   * heartbeat apart, and an election started before the last of them is suspected waits 5 s on
   * it. If a member behind keeps lagging, Hazelcast's own check, two heartbeats after this
   * deadline, still suspects a dead master: the wait is bounded.
   */
  static <M> List<M> suspicionOrder(List<M> members, M local, Predicate<M> silent,
      Predicate<M> lagging) {
    int at = members.indexOf(local);
    List<M> behind = members.subList(at + 1, members.size());
    List<M> order = new ArrayList<>();
    for (M member : behind) {
      if (silent.test(member)) {
        order.add(member);
      }
    }
    if (behind.stream().anyMatch(lagging)) {
      return order;
    }
    for (M member : members.subList(0, Math.max(at, 0))) {
      if (silent.test(member)) {
        order.add(member);
      }
    }
    return order;
  }

  private void safeTick() {
    try {
      tick(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("event=cluster.sweep.failed error={}", e.toString());
    }
  }

  /** One sweep; {@code nowNanos} is the local monotonic clock (it notices this process paused). */
  void tick(long nowNanos) {
    long gapMs = ticked ? TimeUnit.NANOSECONDS.toMillis(nowNanos - lastTickNanos) : 0;
    ticked = true;
    lastTickNanos = nowNanos;
    if (gapMs > maxSilenceMs / 2) {
      // This process was paused: the heartbeats it holds are stale, not the others' silence
      // (Hazelcast resets them on the same jump). Leave it to Hazelcast's own check a while.
      quiet = true;
      quietUntilNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(maxSilenceMs);
      LOG.info("event=cluster.sweep.paused gapMs={}", gapMs);
    }
    quiet = quiet && nowNanos - quietUntilNanos < 0;
    if (quiet || !cluster.joined()) {
      return;
    }
    long now = cluster.now();
    List<MemberImpl> members = cluster.members();
    suspectedAt.keySet().removeIf(
        uuid -> members.stream().noneMatch(member -> member.getUuid().equals(uuid)));
    List<MemberImpl> silent = suspicionOrder(members, cluster.local(), member -> {
      long last = cluster.lastHeartbeat(member);
      return last > 0 && now - last >= maxSilenceMs
          && !Long.valueOf(last).equals(suspectedAt.get(member.getUuid()));
    }, member -> {
      long last = cluster.lastHeartbeat(member);
      return last > 0 && now - last >= laggingMs && now - last < maxSilenceMs;
    });
    for (MemberImpl member : silent) {
      long last = cluster.lastHeartbeat(member);
      suspectedAt.put(member.getUuid(), last);
      String reason = "no heartbeat for " + (now - last) + " ms (suspected with every silent"
          + " member at once, those behind this one first)";
      LOG.info("event=cluster.suspect member={} silentMs={}", member.getAddress(), now - last);
      cluster.suspect(member, reason);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
