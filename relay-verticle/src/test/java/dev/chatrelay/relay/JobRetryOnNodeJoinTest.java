package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job whose dispatch found no worker waits out a backoff that doubles; a node joining the
 * view (a merge bringing workers back) dispatches it at once instead.
 */
class JobRetryOnNodeJoinTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ThreadKey KEY = new ThreadKey("alice", "t1");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aJoiningNodeEndsTheBackoffOfAJobThatFoundNoWorker() {
    // A backoff of ten minutes: only the joining node can dispatch the job again in this test.
    RelayConfig config = RelayConfig.defaults().withJobs(600_000, 200, 600_000, 6);
    RelayHarness relay = RelayHarness.deploy(vertx, config,
        new InMemoryJournal(1000, Clock.SYSTEM, config.shards()));
    relay.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(() -> relay.count("relay.job.redispatches") >= 1);

    FakeWorker worker = relay.worker("w-1");
    relay.verticle.shardOwner().nodeJoined("worker-node");

    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    assertEquals("m1", worker.dispatches.get(0).job());
  }
}
