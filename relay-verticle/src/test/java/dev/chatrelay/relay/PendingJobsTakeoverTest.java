package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.shard.FixedShards;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay taking over a shard whose pending-jobs read fails (Redis away for a moment) reads it
 * again with backoff and resumes the jobs, instead of taking the failure for "nothing to resume".
 */
class PendingJobsTakeoverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int SHARDS = 4;
  private static final ThreadKey KEY = new ThreadKey("alice", "t1");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void failedReadsOfThePendingJobsAreRetriedAndTheJobRuns() {
    RelayConfig base = RelayConfig.defaults().withJobs(60_000, 2_000, 20, 6).withSweep(20, 600_000);
    RelayConfig config = new RelayConfig(base.ackWindow(), base.slowConsumerMs(),
        base.retentionFrames(), SHARDS, base.jobLeaseMs(), base.jobDispatchTimeoutMs(),
        base.jobRetryBackoffMs(), base.jobMaxAttempts(), base.frameCache(), base.retentionTtlS(),
        base.sweepMs(), base.threadIdleMs(), base.shardReacquireMs(), base.shardReleaseGraceMs(),
        base.retentionMessages(), base.limits(), base.deliveryResendMs(), base.deliveryResendMaxMs(),
        base.dispatchWindow());
    InMemoryJournal store = new InMemoryJournal(1000, Clock.SYSTEM, SHARDS);
    int shard = Shards.shardOf(KEY, SHARDS);
    // A previous owner journaled a send with its pending job and died before any worker ran it.
    store.claimShard(shard).await();
    store.appendSend(KEY, FrameDraft.userMessage("m1", "hello"),
        new PendingJob(KEY, "m1", "hello", 1)).await();

    ControllableJournal journal = new ControllableJournal(InMemoryJournal.sharing(store), vertx);
    journal.pendingShard = shard;
    journal.failPendingReads.set(3);
    RelayHarness h = RelayHarness.deploy(vertx, config, journal, FixedShards.all(SHARDS));
    h.worker("w1"); // runs the reply

    await().atMost(WAIT).until(() -> store.pendingJobs(shard).await().isEmpty());
    assertEquals(4, journal.pendingReads.get(), "three failed reads, then the one that worked");
    List<String> ids = store.read(KEY, 0, 100).await().stream().map(Frame::id).toList();
    assertEquals("m1", ids.get(0));
    assertEquals("m1:" + (ids.size() - 2), ids.get(ids.size() - 1), "the whole reply: " + ids);
  }
}
