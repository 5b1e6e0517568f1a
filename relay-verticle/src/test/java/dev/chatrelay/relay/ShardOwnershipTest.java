package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.NodeIds;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.SubscriptionMoved;
import dev.chatrelay.protocol.cluster.ClusterView;
import dev.chatrelay.protocol.cluster.ManualMembership;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.shard.LivenessConfig;
import dev.chatrelay.relay.shard.MembershipShards;
import dev.chatrelay.relay.shard.RelayLiveness;
import dev.chatrelay.relay.shard.ShardOwner;
import dev.chatrelay.relay.shard.ShardOwnership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two relays over one journal, each on its own (local) event bus so the test talks to each
 * alone: claiming fences the previous owner, a fenced relay lets the shard go and moves its
 * subscriptions, the new owner resumes pending jobs above their attempt, and membership moves
 * shards.
 */
class ShardOwnershipTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int SHARDS = 4;
  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final int SHARD = Shards.shardOf(KEY, SHARDS);

  private final Vertx vertxA = Vertx.vertx();
  private final Vertx vertxB = Vertx.vertx();

  @AfterEach
  void close() {
    vertxA.close().await();
    vertxB.close().await();
  }

  /** Ownership the test switches by hand: the shards in {@link #wanted}. */
  private static final class SwitchedShards implements ShardOwnership {
    final Set<Integer> wanted = ConcurrentHashMap.newKeySet();

    SwitchedShards(Set<Integer> initial) {
      wanted.addAll(initial);
    }

    @Override
    public Future<Void> start(ShardOwner owner) {
      return Future.all(wanted.stream().map(owner::acquire).toList()).mapEmpty();
    }

    @Override
    public boolean wants(int shard) {
      return wanted.contains(shard);
    }
  }

  /** No worker ever answers in these tests, and retries wait long: jobs stay put. */
  private static RelayConfig config() {
    return RelayConfig.defaults().withFlow(256, 30_000, 1000, 64).withSweep(20, 600_000)
        .withJobs(60_000, 200, 60_000, 6).withShardReacquire(100);
  }

  private static RelayConfig withShards(RelayConfig c) {
    return new RelayConfig(c.ackWindow(), c.slowConsumerMs(), c.retentionFrames(), SHARDS,
        c.jobLeaseMs(), c.jobDispatchTimeoutMs(), c.jobRetryBackoffMs(), c.jobMaxAttempts(),
        c.frameCache(), c.retentionTtlS(), c.sweepMs(), c.threadIdleMs(), c.shardReacquireMs(),
        c.shardReleaseGraceMs(), c.retentionMessages(), c.limits(), c.deliveryResendMs(),
        c.deliveryResendMaxMs(), c.dispatchWindow());
  }

  private static boolean noHandlers(RelayHarness h, ThreadKey key) {
    ReplyException e = h.failureOf(key, new SendCommand(key, "probe", "x").toJson());
    return e != null && e.failureType() == ReplyFailure.NO_HANDLERS;
  }

  @Test
  void aClaimFencesTheOldOwnerWhichLetsGoAndMovesItsSubscriptions() {
    RelayConfig config = withShards(config());
    InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    SwitchedShards ownsA = new SwitchedShards(Set.of(0, 1, 2, 3));
    RelayHarness a = RelayHarness.deploy(vertxA, config, journal, ownsA);
    SwitchedShards ownsB = new SwitchedShards(Set.of());
    RelayHarness b = RelayHarness.deploy(vertxB, config, InMemoryJournal.sharing(journal), ownsB);

    SubscribeAnswer subscribed = a.subscribe(KEY, null, 0L, 1, 7);
    assertEquals(1, a.send(KEY, "m1", "hello"));

    // B's view has the shard, A's does not yet: B claims, and A is a stale owner.
    ownsA.wanted.remove(SHARD);
    ownsB.wanted.add(SHARD);
    b.verticle.shardOwner().acquire(SHARD).await();

    ReplyException refused = a.failureOf(KEY, new SendCommand(KEY, "m2", "late").toJson());
    assertEquals(BusFailure.NOT_OWNER, refused.failureCode(), "a fenced send is retryable");
    await().atMost(WAIT).until(() -> a.gateway.moves().size() == 1);
    assertEquals(new SubscriptionMoved(1, 7, KEY.thread()), a.gateway.moves().get(0));
    await().atMost(WAIT).until(() -> noHandlers(a, KEY));
    assertEquals(1.0, a.count("relay.shard.fenced"));

    // The new owner carries on from the journal: nothing lost, nothing written twice.
    SubscribeAnswer again = b.subscribe(KEY, subscribed.epoch(), 0L, 1, 8);
    assertTrue(again.subscribed());
    assertEquals(1, again.head());
    assertEquals(2, b.send(KEY, "m2", "late"));
    await().atMost(WAIT).until(() -> b.gateway.seqs(1).equals(List.of(1L, 2L)));
    List<Frame> frames = journal.read(KEY, 0, 100).await();
    assertEquals(List.of("m1", "m2"), frames.stream().map(Frame::id).toList());
  }

  @Test
  void theNewOwnerResumesPendingJobsAboveTheirAttemptSoTheOldWorkerIsFenced() {
    // A dispatch timeout far above any JobTaken latency: with 1 s, a loaded machine could make A
    // dispatch attempt 2 itself before B takes over (the likely cause of a one-off failure).
    RelayConfig config = withShards(config()).withJobs(60_000, 30_000, 50, 6);
    InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    SwitchedShards ownsA = new SwitchedShards(Set.of(0, 1, 2, 3));
    RelayHarness a = RelayHarness.deploy(vertxA, config, journal, ownsA);
    FakeWorker stalled = a.worker("w-a");
    stalled.policy = d -> FakeWorker.Mode.STALL;
    a.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(() -> stalled.dispatches.size() == 1);
    JobDispatch first = stalled.dispatches.get(0);
    assertEquals(1, first.attempt());
    assertEquals(List.of(new PendingJob(KEY, "m1", "hello", 1)),
        journal.pendingJobs(SHARD).await(), "the attempt is recorded before it is sent");

    SwitchedShards ownsB = new SwitchedShards(Set.of());
    RelayHarness b = RelayHarness.deploy(vertxB, config, InMemoryJournal.sharing(journal), ownsB);
    FakeWorker running = b.worker("w-b");
    ownsA.wanted.remove(SHARD);
    ownsB.wanted.add(SHARD);
    b.verticle.shardOwner().acquire(SHARD).await();

    await().atMost(WAIT).until(() -> running.dispatches.size() == 1);
    assertEquals(2, running.dispatches.get(0).attempt());
    await().atMost(WAIT).until(() -> journal.pendingJobs(SHARD).await().isEmpty());
    assertEquals(BusFailure.FENCED, b.appendFailure(KEY, "m1", 1, 0), "the old attempt");
    List<String> ids = journal.read(KEY, 0, 100).await().stream().map(Frame::id).toList();
    assertEquals(List.of("m1", "m1:0", "m1:1", "m1:2", "m1:3", "m1:4"), ids);
  }

  @Test
  void aRelayStillWantingTheShardClaimsItAgainAfterThePause() {
    RelayConfig config = withShards(config());
    InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    RelayHarness a = RelayHarness.deploy(vertxA, config, journal,
        new SwitchedShards(Set.of(0, 1, 2, 3)));
    InMemoryJournal other = InMemoryJournal.sharing(journal);
    a.subscribe(KEY, null, 0L, 1, 7);
    assertEquals(1, a.send(KEY, "m1", "hello"));
    other.claimShard(SHARD).await(); // a rogue claim, e.g. a relay whose view lags
    assertEquals(BusFailure.NOT_OWNER,
        a.failureOf(KEY, new SendCommand(KEY, "m2", "x").toJson()).failureCode());
    await().atMost(WAIT).until(() -> a.gateway.moves().size() == 1);
    // A still owns the shard by its own view: it claims again (fencing the rogue) and serves.
    await().atMost(WAIT).until(() -> a.failureOf(KEY,
        new SendCommand(KEY, "m2", "x").toJson()) == null);
    assertEquals(2, journal.info(KEY).await().head());
  }

  @Test
  void membershipMovesShardsAndDropsSubscriptionsOfGatewaysThatLeft() {
    RelayConfig config = withShards(config());
    ManualMembership membership =
        new ManualMembership("ra", Set.of("ra", "g1-node"), Set.of("ra"));
    InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    RelayHarness a = RelayHarness.deploy(vertxA, config, journal,
        new MembershipShards(membership, SHARDS));
    ThreadKey[] keys = new ThreadKey[SHARDS];
    for (int i = 0, found = 0; found < SHARDS; i++) {
      ThreadKey k = new ThreadKey("alice", "t" + i);
      int shard = Shards.shardOf(k, SHARDS);
      if (keys[shard] == null) {
        keys[shard] = k;
        found++;
        a.subscribe(k, null, 0L, shard + 1, 1);
      }
    }

    membership.set(Set.of("ra", "rb", "g1-node"), Set.of("ra", "rb"));
    ClusterView view = membership.view();
    Set<Integer> lost = new java.util.TreeSet<>();
    for (int s = 0; s < SHARDS; s++) {
      if (!view.ownsLocally(s)) {
        lost.add(s);
      }
    }
    assertFalse(lost.isEmpty(), "rendezvous gives rb some of 4 shards");
    assertNotEquals(SHARDS, lost.size());
    await().atMost(WAIT).until(() -> a.gateway.moves().size() == lost.size());
    for (int s = 0; s < SHARDS; s++) {
      ThreadKey k = keys[s];
      if (lost.contains(s)) {
        await().atMost(WAIT).until(() -> noHandlers(a, k));
      } else {
        assertTrue(a.failureOf(k, new SendCommand(k, "m-" + s, "x").toJson()) == null);
      }
    }

    membership.set(Set.of("ra", "g1-node"), Set.of("ra"));
    for (int s : lost) {
      ThreadKey k = keys[s];
      await().atMost(WAIT).until(() -> a.failureOf(k, new SendCommand(k, "m-" + s, "x").toJson())
          == null);
    }

    // A gateway instance on node g1-node, and the harness's own gateway "g1" on no such node.
    FakeGateway leaving = new FakeGateway(vertxA, NodeIds.of("g1-node", 1), SHARDS);
    leaving.ready().await();
    ThreadKey k = keys[0];
    a.ok(k, new SubscribeCommand(k, null, 0L, leaving.id, 50, 1).toJson());
    a.subscribe(k, null, 0L, 60, 1);
    membership.set(Set.of("ra"), Set.of("ra"));
    long seq = a.send(k, "after-leave", "x");
    await().atMost(WAIT).until(() -> a.gateway.seqs(60).contains(seq));
    leaving.flush();
    assertFalse(leaving.seqs(50).contains(seq), "the left node's subscription was dropped");
  }

  @Test
  void theJobsOfAWorkerWhoseNodeLeftAreDispatchedAgainBeforeTheirLease() {
    RelayConfig config = withShards(config()); // lease 60 s: only the node leaving can do it
    ManualMembership membership =
        new ManualMembership("ra", Set.of("ra", "worker-node"), Set.of("ra"));
    InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    RelayHarness a = RelayHarness.deploy(vertxA, config, journal,
        new MembershipShards(membership, SHARDS));
    FakeWorker worker = a.worker(NodeIds.of("worker-node", 1));
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.STALL : FakeWorker.Mode.RUN;
    a.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);

    membership.set(Set.of("ra"), Set.of("ra")); // the worker's process left the cluster

    await().atMost(WAIT).until(() -> worker.dispatches.size() == 2);
    assertEquals(2, worker.dispatches.get(1).attempt());
    await().atMost(WAIT).until(() -> journal.pendingJobs(SHARD).await().isEmpty());
    List<String> ids = journal.read(KEY, 0, 100).await().stream().map(Frame::id).toList();
    assertEquals(List.of("m1", "m1:0", "m1:1", "m1:2", "m1:3", "m1:4"), ids);
  }

  @Test
  void aGatewayNodeBackWithinTheGraceKeepsItsSubscriptionsOneStillGoneLosesThem() {
    ManualMembership membership =
        new ManualMembership("ra", Set.of("ra", "g1-node", "g2-node"), Set.of("ra"));
    InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    RelayHarness a = RelayHarness.deploy(vertxA, withShards(config()), journal,
        new MembershipShards(membership, SHARDS,
            new RelayLiveness(journal, new LivenessConfig(1_000, 3_000, 200))));
    FakeGateway back = new FakeGateway(vertxA, NodeIds.of("g1-node", 1), SHARDS);
    FakeGateway gone = new FakeGateway(vertxA, NodeIds.of("g2-node", 1), SHARDS);
    back.ready().await();
    gone.ready().await();
    a.ok(KEY, new SubscribeCommand(KEY, null, 0L, back.id, 50, 1).toJson());
    a.ok(KEY, new SubscribeCommand(KEY, null, 0L, gone.id, 60, 1).toJson());
    assertTrue(deliveredToBoth(a, back, gone), "both subscribed before the views pass");

    membership.set(Set.of("ra"), Set.of("ra")); // a merge's passing view: both nodes "left"
    membership.set(Set.of("ra", "g1-node"), Set.of("ra")); // g1 is back at once, g2 stays gone
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
        .until(() -> !deliveredToBoth(a, back, gone)); // g2's subscriptions went after the grace
    assertFalse(deliveredToBoth(a, back, gone), "g1's subscription outlived the grace");
  }

  /** Sends once; true when both gateways got it, false when only {@code first} did. */
  private static boolean deliveredToBoth(RelayHarness a, FakeGateway first, FakeGateway second) {
    long seq = a.send(KEY, "m-" + System.nanoTime(), "x");
    await().atMost(WAIT).until(() -> first.seqs(50).contains(seq)); // one pump pass sends both
    second.flush();
    return second.seqs(60).contains(seq);
  }
}
