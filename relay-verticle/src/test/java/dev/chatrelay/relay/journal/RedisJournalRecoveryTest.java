package dev.chatrelay.relay.journal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the Redis journal does when Redis loses data or the connection drops. */
class RedisJournalRecoveryTest {

  private static RedisTestJournals redis;
  private static final AtomicInteger THREADS = new AtomicInteger();

  @BeforeAll
  static void start() {
    redis = new RedisTestJournals(RedisJournalRecoveryTest.class);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static ThreadKey newThread() {
    return new ThreadKey("user", "t" + THREADS.incrementAndGet());
  }

  private static FrameDraft draft(String key) {
    return new FrameDraft(key, "id-" + key, FrameKind.CHUNK, "r1", new JsonObject().put("text", key));
  }

  private static RedisKeys.ThreadKeys keysOf(ThreadKey thread) {
    return new RedisKeys(redis.prefix, redis.options().shards()).thread(thread);
  }

  @Test
  void aFlushedRedisGivesTheThreadANewEpochAndSeqStartsAgain() {
    RedisJournal journal = redis.open(redis.options());
    ThreadKey thread = newThread();
    for (int i = 1; i <= 3; i++) {
      journal.append(thread, draft("k" + i)).await();
    }
    String before = journal.info(thread).await().epoch();

    TestRedis.deleteKeys(redis.admin, redis.prefix);

    ThreadInfo after = journal.info(thread).await();
    assertNotEquals(before, after.epoch());
    assertEquals(0, after.head());
    assertEquals(1, after.oldest());
    Appended first = journal.append(thread, draft("k1")).await();
    assertTrue(first.created(), "the old idempotency keys went with the old epoch");
    assertEquals(1, first.frame().seq());
    assertNotEquals(before, first.frame().epoch());
    assertEquals(first.frame().epoch(), journal.info(thread).await().epoch());
    assertEquals(List.of(1L), seqs(journal.read(thread, 0, 100).await()));
  }

  /**
   * ClusterChaosIT's FLUSHALL: the fence goes with the data, so the next claim answers token 1
   * again; the thread's next provisional epoch must still differ from the one its first write
   * stored, or clients holding (old epoch, n) would resume into the new frames unwarned.
   */
  @Test
  void afterAFlushTheReclaimedShardNeverAnswersAnOldEpoch() {
    RedisJournal journal = redis.open(redis.options());
    ThreadKey thread = newThread();
    int shard = Shards.shardOf(thread, Shards.DEFAULT_COUNT);
    long token = journal.claimShard(shard).await();
    String shown = journal.info(thread).await().epoch();
    assertEquals(shown, journal.append(thread, draft("k1"), shown).await().frame().epoch());

    TestRedis.deleteKeys(redis.admin, redis.prefix);

    assertEquals(token, journal.claimShard(shard).await(), "the counter restarted");
    ThreadInfo after = journal.info(thread).await();
    assertEquals(0, after.head());
    assertNotEquals(shown, after.epoch());
  }

  @Test
  void aLostMetaHashDropsTheOldEpochsFramesToo() {
    RedisJournal journal = redis.open(redis.options());
    ThreadKey thread = newThread();
    journal.append(thread, draft("k1")).await();
    journal.append(thread, draft("k2")).await();
    String before = journal.info(thread).await().epoch();

    TestRedis.send(redis.admin, Command.DEL, keysOf(thread).meta()).await();

    assertTrue(journal.read(thread, 0, 100).await().isEmpty(), "no epoch, no frames");
    ThreadInfo after = journal.info(thread).await();
    assertNotEquals(before, after.epoch());
    assertEquals(0, after.head());
    assertTrue(journal.read(thread, 0, 100).await().isEmpty(), "old frames are not served");
    Appended again = journal.append(thread, draft("k2")).await();
    assertTrue(again.created());
    assertEquals(1, again.frame().seq());
  }

  @Test
  void aLostStreamWithAPositiveHeadGivesANewEpoch() {
    RedisJournal journal = redis.open(redis.options());
    ThreadKey thread = newThread();
    journal.append(thread, draft("k1")).await();
    String before = journal.info(thread).await().epoch();

    TestRedis.send(redis.admin, Command.DEL, keysOf(thread).log(), keysOf(thread).tok()).await();

    Appended next = journal.append(thread, draft("k2")).await();
    assertNotEquals(before, next.frame().epoch());
    assertEquals(1, next.frame().seq());
  }

  @Test
  void afterTheConnectionIsKilledAppendsFailThenSucceedAndSeqsStayContiguous() {
    RedisJournal journal = redis.open(redis.options().withReconnect(200, 400));
    ThreadKey thread = newThread();
    List<String> attempted = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      attempt(journal, thread, next, attempted, failed);
    }
    assertTrue(failed.isEmpty());
    long id = journal.connectionId().await();

    TestRedis.send(redis.admin, Command.CLIENT, "KILL", "ID", id).await();

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
        .until(() -> !attempt(journal, thread, next, attempted, failed));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> attempt(journal, thread, next, attempted, failed));
    assertTrue(journal.connected());
    assertNotEquals(id, journal.connectionId().await(), "a new connection");

    // A failed append may or may not have reached Redis; retrying it is safe either way.
    for (String key : failed) {
      journal.append(thread, draft(key)).await();
    }
    List<Frame> frames = journal.read(thread, 0, 10_000).await();
    long head = journal.info(thread).await().head();
    assertEquals(attempted.size(), frames.size(), "every key journaled exactly once");
    assertEquals(head, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertEquals(i + 1, frames.get(i).seq(), "contiguous seqs");
    }
    Set<String> ids = new HashSet<>();
    frames.forEach(f -> ids.add(f.id()));
    assertEquals(attempted.size(), ids.size());
  }

  /** Appends the next key; false (and noted) when the journal is unavailable. */
  private static boolean attempt(RedisJournal journal, ThreadKey thread, AtomicInteger next,
      List<String> attempted, List<String> failed) {
    String key = "k" + next.incrementAndGet();
    attempted.add(key);
    try {
      journal.append(thread, draft(key)).await();
      return true;
    } catch (JournalUnavailableException e) {
      failed.add(key);
      return false;
    }
  }

  @Test
  void connectingToARedisThatIsNotThereFails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RedisJournalOptions nowhere = RedisJournalOptions.defaults("redis://127.0.0.1:" + closedPort);
    Throwable failure = assertThrows(Throwable.class,
        () -> RedisJournal.connect(redis.vertx, nowhere).await());
    assertInstanceOf(JournalUnavailableException.class, failure);
  }

  @Test
  void commandsBeyondTheInFlightAndQueueLimitsFailFastAndUseNoSeq() {
    RedisJournalOptions base = redis.options();
    RedisJournalOptions tight = new RedisJournalOptions(base.url(), base.retentionFrames(),
        base.retentionTtlSeconds(), base.clock(), base.keyPrefix(), base.shards(), 1, 1,
        base.reconnectInitialMs(), base.reconnectMaxMs(), base.retentionMessages(),
        base.commandTimeoutMs(), base.tls(), base.pendingJobs());
    // Opened on a context of ours, so a burst sent from that context reaches the pipeline at once.
    Context context = redis.vertx.getOrCreateContext();
    Promise<RedisJournal> opened = Promise.promise();
    context.runOnContext(v -> RedisJournal.connect(redis.vertx, tight).onComplete(opened));
    RedisJournal journal = redis.adopt(opened.future().await());
    ThreadKey thread = newThread();
    Promise<List<Future<Appended>>> burst = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Appended>> results = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        results.add(journal.append(thread, draft("k" + i)));
      }
      burst.complete(results);
    });
    List<Future<Appended>> results = burst.future().await();
    Future.join(results).otherwiseEmpty().await();

    assertEquals(1, results.get(0).await().frame().seq(), "in flight");
    assertEquals(2, results.get(1).await().frame().seq(), "queued");
    for (Future<Appended> refused : results.subList(2, results.size())) {
      assertInstanceOf(JournalUnavailableException.class, refused.cause());
    }
    assertEquals(2, journal.info(thread).await().head());
  }

  private static List<Long> seqs(List<Frame> frames) {
    return frames.stream().map(Frame::seq).toList();
  }
}
