package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/**
 * Per test class: a Vert.x, an admin client on the test Redis, a key prefix of its own, and the
 * Redis journals opened; {@link #close} closes them and deletes every key under the prefix.
 */
final class RedisTestJournals implements AutoCloseable {

  /** Long enough that nothing expires during a test. */
  static final long TEST_TTL_S = 600;

  final Vertx vertx = Vertx.vertx();
  final Redis admin = TestRedis.admin(vertx);
  final String prefix;
  private final List<RedisJournal> opened = new ArrayList<>();

  RedisTestJournals(Class<?> testClass) {
    prefix = TestRedis.uniquePrefix(testClass);
  }

  /** Defaults on the test Redis under this prefix: retention 100 frames, TTL {@link #TEST_TTL_S}. */
  RedisJournalOptions options() {
    return RedisJournalOptions.defaults(TestRedis.url())
        .withKeyPrefix(prefix)
        .withRetention(100, TEST_TTL_S, Clock.SYSTEM);
  }

  RedisJournal open(RedisJournalOptions options) {
    return adopt(RedisJournal.connect(vertx, options).await());
  }

  /** Closes {@code journal} with the others. */
  RedisJournal adopt(RedisJournal journal) {
    opened.add(journal);
    return journal;
  }

  @Override
  public void close() {
    for (RedisJournal journal : opened) {
      journal.close().await();
    }
    TestRedis.deleteKeys(admin, prefix);
    admin.close();
    vertx.close().await();
  }
}
