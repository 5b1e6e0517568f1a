package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The journal contract (compaction included) against {@link RedisJournal} on a real Redis ({@link TestRedis}). Each
 * test gets its own key prefix, so its fences and threads never meet another test's.
 */
class RedisJournalTest extends JournalContractTest {

  /** Long enough that nothing expires during a test; the keys are deleted afterwards anyway. */
  private static final long TEST_TTL_S = 600;
  private static final String RUN_PREFIX = TestRedis.uniquePrefix(RedisJournalTest.class);

  private static Vertx vertx;
  private static int testNumber;
  private String prefix;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void cleanUp() {
    Redis admin = TestRedis.admin(vertx);
    TestRedis.deleteKeys(admin, RUN_PREFIX);
    admin.close();
    vertx.close().await();
  }

  @BeforeEach
  void ownPrefix() {
    prefix = RUN_PREFIX + (++testNumber) + ":";
  }

  @Override
  protected Journal newJournal(int retentionFrames, Clock clock) {
    return connect(retentionFrames, clock);
  }

  @Override
  protected Journal newJournal(int retentionFrames, int retentionMessages, Clock clock) {
    return RedisJournal.connect(vertx, RedisJournalOptions.defaults(TestRedis.url())
        .withKeyPrefix(prefix)
        .withRetention(retentionFrames, TEST_TTL_S, clock)
        .withRetentionMessages(retentionMessages)).await();
  }

  @Override
  protected Journal newPeer(Journal first, int retentionFrames, Clock clock) {
    return connect(retentionFrames, clock);
  }

  @Override
  protected Journal newBoundedJournal(int retentionFrames, Clock clock, long ttlSeconds,
      PendingJobLimits limits) {
    return RedisJournal.connect(vertx, RedisJournalOptions.defaults(TestRedis.url())
        .withKeyPrefix(prefix)
        .withRetention(retentionFrames, ttlSeconds, clock)
        .withPendingJobs(limits)).await();
  }

  /** Any key of this test whose name carries the thread's id. */
  @Override
  protected boolean stores(Journal j, ThreadKey key) {
    Redis admin = TestRedis.admin(vertx);
    try {
      String id = RedisKeys.threadId(key);
      return TestRedis.keys(admin, prefix).stream().anyMatch(k -> k.contains(id));
    } finally {
      admin.close();
    }
  }

  private RedisJournal connect(int retentionFrames, Clock clock) {
    return RedisJournal.connect(vertx, RedisJournalOptions.defaults(TestRedis.url())
        .withKeyPrefix(prefix)
        .withRetention(retentionFrames, TEST_TTL_S, clock)).await();
  }
}
