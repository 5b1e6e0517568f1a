package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The keys the Redis journal writes are the ones its javadoc documents, with their TTLs. */
class RedisJournalLayoutTest {

  private static RedisTestJournals redis;

  @BeforeAll
  static void start() {
    redis = new RedisTestJournals(RedisJournalLayoutTest.class);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static Response redis(Command command, Object... args) {
    return TestRedis.send(redis.admin, command, args).await();
  }

  @Test
  void keysTypesAndContentAreAsDocumented() {
    String prefix = redis.prefix + "layout:";
    RedisJournal journal = redis.open(redis.options().withKeyPrefix(prefix)
        .withRetention(100, RedisTestJournals.TEST_TTL_S, () -> 1_700_000_000_123L));
    ThreadKey thread = new ThreadKey("alice", "t1");
    int shard = Shards.shardOf(thread, Shards.DEFAULT_COUNT);
    String tag = prefix + "{s" + shard + "}:";
    String base = tag + "t:" + RedisKeys.threadId(thread) + ":";
    long token = journal.claimShard(shard).await();
    String epoch = journal.append(thread, FrameDraft.userMessage("m1", "hello")).await()
        .frame().epoch();
    journal.append(thread, FrameDraft.reply("m1", 0, FrameKind.TYPING,
        new JsonObject().put("on", true))).await();
    PendingJob job = new PendingJob(thread, "m1", "hello", 0);
    journal.savePendingJob(shard, job).await();

    Map<String, String> types = new TreeMap<>();
    for (String key : TestRedis.keys(redis.admin, prefix)) {
      types.put(key, redis(Command.TYPE, key).toString());
    }
    assertEquals(new TreeMap<>(Map.of(
        base + "meta", "hash",
        base + "log", "stream",
        base + "tok", "stream",
        base + "idem", "hash",
        tag + "fence", "string",
        tag + "jobs", "hash",
        tag + "jobq", "zset",
        tag + "jobn", "string")), types);

    assertEquals(epoch, redis(Command.HGET, base + "meta", "epoch").toString());
    assertEquals("2", redis(Command.HGET, base + "meta", "head").toString());
    Response entries = redis(Command.XRANGE, base + "log", "-", "+");
    Response tokens = redis(Command.XRANGE, base + "tok", "-", "+");
    assertEquals(1, entries.size(), "conversation frames");
    assertEquals(1, tokens.size(), "token frames");
    assertEquals("1-0", entries.get(0).get(0).toString());
    assertEquals("2-0", tokens.get(0).get(0).toString());
    Map<String, String> first = fields(entries.get(0).get(1));
    assertEquals("u/m1", first.get("k"));
    assertEquals("1700000000123", first.get("t"));
    assertEquals(new JsonObject().put("id", "m1").put("kind", "user_message")
        .put("data", new JsonObject().put("text", "hello")), new JsonObject(first.get("b")));
    Map<String, String> second = fields(tokens.get(0).get(1));
    assertEquals("a/m1/0", second.get("k"));
    assertEquals("m1", second.get("r"));
    assertEquals(new JsonObject().put("id", "m1:0").put("kind", "typing").put("replyTo", "m1")
        .put("data", new JsonObject().put("on", true)), new JsonObject(second.get("b")));
    assertEquals("1", redis(Command.HGET, base + "idem", "u/m1").toString());
    assertEquals("2", redis(Command.HGET, base + "idem", "a/m1/0").toString());

    assertEquals(Long.toString(token), redis(Command.GET, tag + "fence").toString());
    String field = RedisKeys.threadId(thread) + "/m1";
    assertEquals(job, PendingJob.fromJson(new JsonObject(
        redis(Command.HGET, tag + "jobs", field).toString())));
    assertEquals(field, redis(Command.ZRANGE, tag + "jobq", 0, -1).get(0).toString());
  }

  @Test
  void threadKeysExpireAfterTheRetentionTtlJobKeysAfterThePendingTtlAndReadsMakeNone() {
    long ttl = 321;
    long jobTtl = 123;
    String prefix = redis.prefix + "ttl:";
    RedisJournal journal = redis.open(redis.options().withKeyPrefix(prefix)
        .withRetention(100, ttl, Clock.SYSTEM)
        .withPendingJobs(new PendingJobLimits(jobTtl, 10)));
    ThreadKey written = new ThreadKey("bob", "t1");
    ThreadKey onlyLookedAt = new ThreadKey("bob", "t2");
    int shard = Shards.shardOf(written, Shards.DEFAULT_COUNT);
    journal.claimShard(shard).await();
    journal.append(written, FrameDraft.userMessage("m1", "x")).await();
    journal.info(onlyLookedAt).await();
    journal.read(onlyLookedAt, 0, 10).await();
    journal.savePendingJob(shard, new PendingJob(written, "m1", "x", 0)).await();

    RedisKeys keys = new RedisKeys(prefix, Shards.DEFAULT_COUNT);
    RedisKeys.ThreadKeys k = keys.thread(written);
    journal.append(written, FrameDraft.reply("m1", 0, FrameKind.MESSAGE,
        new JsonObject().put("text", "x"))).await();
    for (String key : List.of(k.meta(), k.log(), k.idem(), k.ends())) {
      long left = redis(Command.TTL, key).toLong();
      assertTrue(left > 0 && left <= ttl, key + " ttl " + left);
    }
    RedisKeys.ThreadKeys looked = keys.thread(onlyLookedAt);
    for (String key : looked.all()) {
      assertEquals(0, redis(Command.EXISTS, key).toLong(), key + " made by a read");
    }
    RedisKeys.ShardKeys s = keys.shard(shard);
    assertEquals(-1, redis(Command.TTL, s.fence()).toLong(), "the fence never expires");
    for (String key : List.of(s.jobs(), s.jobOrder(), s.jobCounter())) {
      long left = redis(Command.TTL, key).toLong();
      assertTrue(left > 0 && left <= jobTtl, key + " ttl " + left);
    }
  }

  @Test
  void retentionDropsTheIdempotencyKeysAtOnceAndStreamNodesSoonAfter() {
    String prefix = redis.prefix + "trim:";
    RedisJournal journal = redis.open(redis.options().withKeyPrefix(prefix)
        .withRetention(3, RedisTestJournals.TEST_TTL_S, Clock.SYSTEM).withRetentionMessages(3));
    ThreadKey thread = new ThreadKey("carol", "t1");
    for (int i = 1; i <= 5; i++) {
      journal.append(thread, FrameDraft.userMessage("m" + i, "x")).await();
    }
    RedisKeys.ThreadKeys k = new RedisKeys(prefix, Shards.DEFAULT_COUNT).thread(thread);
    TreeSet<String> idem = new TreeSet<>();
    redis(Command.HKEYS, k.idem()).forEach(r -> idem.add(r.toString()));
    assertEquals(new TreeSet<>(List.of("u/m3", "u/m4", "u/m5")), idem);
    assertEquals("3", redis(Command.HGET, k.meta(), "oldest").toString());

    // Whole stream nodes go once all their entries are out of retention (trimmed from the front).
    long nodeEntries = redis(Command.CONFIG, "GET", "stream-node-max-entries")
        .get("stream-node-max-entries").toLong();
    for (int i = 6; i <= 3 * nodeEntries; i++) {
      journal.append(thread, FrameDraft.userMessage("m" + i, "x")).await();
    }
    assertEquals(3, redis(Command.XLEN, k.log()).toLong());
    assertEquals(3, redis(Command.HLEN, k.idem()).toLong());
    long bytes = redis(Command.MEMORY, "USAGE", k.log()).toLong();
    // At most the newest node is left, partly deleted (measured 4.8 KB for 100 small entries).
    assertTrue(bytes < 8192, "a stream of 3 small entries after " + 3 * nodeEntries
        + " appends holds " + bytes + " bytes");
  }

  @Test
  void aScriptRedisDoesNotKnowIsSentAgainWithEval() {
    LuaScript probe = new LuaScript("probe", "return 'probe-" + UUID.randomUUID() + "'");
    RedisPipeline pipe = RedisPipeline.open(redis.vertx, redis.options(), List.of()).await();
    try {
      assertEquals(0, redis(Command.SCRIPT, "EXISTS", probe.sha()).get(0).toInteger());
      String answer = probe.run(pipe, List.of(), List.of()).await().toString();
      assertTrue(answer.startsWith("probe-"));
      assertEquals(1, redis(Command.SCRIPT, "EXISTS", probe.sha()).get(0).toInteger(),
          "EVAL cached it");
    } finally {
      pipe.close().await();
    }
  }

  /** Stream entry fields: a flat array, or a map under RESP3. */
  private static Map<String, String> fields(Response fields) {
    Map<String, String> out = new TreeMap<>();
    if (fields.isMap()) {
      fields.getKeys().forEach(name -> out.put(name, fields.get(name).toString()));
    } else {
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        out.put(fields.get(i).toString(), fields.get(i + 1).toString());
      }
    }
    return out;
  }
}
