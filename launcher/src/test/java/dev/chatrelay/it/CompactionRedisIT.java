package dev.chatrelay.it;

import dev.chatrelay.relay.journal.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/** {@link CompactionIT} on the Redis journal (the test Redis, a key prefix of its own). */
class CompactionRedisIT extends CompactionIT {

  private final String prefix = TestRedis.uniquePrefix(CompactionRedisIT.class);

  @Override
  protected TestSystem.Builder configure() {
    return TestSystem.configure()
        .set("RELAY_REDIS_URL", TestRedis.url())
        .set("RELAY_REDIS_KEY_PREFIX", prefix);
  }

  @Override
  protected void cleanUp() {
    Vertx vertx = Vertx.vertx();
    try {
      Redis admin = TestRedis.admin(vertx);
      TestRedis.deleteKeys(admin, prefix);
      admin.close();
    } finally {
      vertx.close().await();
    }
  }
}
