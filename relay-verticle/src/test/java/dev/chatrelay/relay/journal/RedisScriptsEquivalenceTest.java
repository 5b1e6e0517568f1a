package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The append scripts coalesce their writes ({@link RedisLua#WRITER}); this runs them and the
 * scripts from before that ({@code legacy-append*.lua}, one command per frame and per retention
 * step) on random appends to twin threads, with tiny retentions, repeated keys within a batch,
 * several endings of one reply, lost keys and refused tokens, and checks that every answer and
 * every key (content, and that each write refreshed its TTL) come out the same.
 */
class RedisScriptsEquivalenceTest {

  private static final String DUMP = """
      local out = {}
      for i, k in ipairs(KEYS) do
        local ty = redis.call('TYPE', k)['ok']
        local ttl = redis.call('TTL', k)
        local age = tostring(ttl)
        if ttl > 0 then age = ttl >= tonumber(ARGV[1]) - 2 and 'fresh' or 'stale' end
        out[#out + 1] = i .. ' ' .. ty .. ' ' .. age
        if ty == 'hash' then
          local h, kv = redis.call('HGETALL', k), {}
          for j = 1, #h, 2 do kv[#kv + 1] = h[j] .. '=' .. h[j + 1] end
          table.sort(kv)
          out[#out + 1] = table.concat(kv, ',')
        elseif ty == 'stream' then
          for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do
            out[#out + 1] = e[1] .. ' ' .. table.concat(e[2], ' ')
          end
        elseif ty == 'zset' then
          out[#out + 1] = table.concat(redis.call('ZRANGE', k, 0, -1, 'WITHSCORES'), ',')
        elseif ty == 'string' then
          out[#out + 1] = redis.call('GET', k)
        end
      end
      return table.concat(out, '\\n')
      """;
  private static final String[] CLASSES = {"t", "t", "t", "c", "e"};
  private static final String[] REPLIES = {"", "r1", "r2", "r3"};

  private static RedisTestJournals redis;
  private static String legacyAppend;
  private static String legacyAppendAll;

  @BeforeAll
  static void start() throws IOException {
    redis = new RedisTestJournals(RedisScriptsEquivalenceTest.class);
    legacyAppend = resource("legacy-append.lua");
    legacyAppendAll = resource("legacy-append-all.lua");
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @ParameterizedTest
  @CsvSource({"1,1,11", "1,3,12", "2,2,13", "3,1,14", "5,4,15", "2,100,16", "100,2,17"})
  void coalescedWritesEndAsThePerFrameOnes(int frames, int messages, long seed) {
    Random random = new Random(seed);
    String legacy = redis.prefix + frames + "-" + messages + ":L:";
    String coalesced = redis.prefix + frames + "-" + messages + ":N:";
    for (int op = 1; op <= 400; op++) {
      if (random.nextInt(40) == 0) {
        lose(random.nextInt(3), legacy, coalesced);
      }
      String token = random.nextInt(50) == 0 ? "7" : "0";
      List<String[]> drafts = new ArrayList<>();
      int n = random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(6);
      for (int i = 0; i < n; i++) {
        drafts.add(new String[] {"k" + random.nextInt(14), "b" + op + "." + i,
            CLASSES[random.nextInt(CLASSES.length)], REPLIES[random.nextInt(REPLIES.length)]});
      }
      boolean single = random.nextBoolean();
      compare(legacy, coalesced, op, single ? drafts.subList(0, 1) : drafts, single, frames,
          messages, token, random.nextInt(4) == 0);
    }
  }

  @Test
  void batchesLongerThanTheQueuesAndARetentionLoweredAtOnceEndTheSame() {
    Random random = new Random(21);
    String legacy = redis.prefix + "long:L:";
    String coalesced = redis.prefix + "long:N:";
    for (int op = 1; op <= 3; op++) {
      List<String[]> drafts = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        drafts.add(new String[] {"k" + op + "." + i, "b" + i,
            CLASSES[random.nextInt(CLASSES.length)], REPLIES[random.nextInt(REPLIES.length)]});
      }
      // all kept, then cut to a few: thousands of frames leave in one step
      int retention = op == 1 ? 10_000 : 3;
      compare(legacy, coalesced, op, drafts, false, retention, retention, "0", op == 3);
    }
  }

  /** Runs both scripts on twin threads and asserts equal answers and keys. */
  private static void compare(String legacy, String coalesced, int op, List<String[]> drafts,
      boolean single, int frames, int messages, String token, boolean job) {
    String ttl = Integer.toString(1000 + 10 * op);
    List<String> args = single ? appendArgs(token, drafts.get(0), frames, messages, ttl, op, job)
        : appendAllArgs(token, drafts, frames, messages, ttl, op, job);
    String expected = run(single ? legacyAppend : legacyAppendAll, keys(legacy, single, job),
        args);
    String actual = run(single ? RedisScripts.APPEND.source() : RedisScripts.APPEND_ALL.source(),
        keys(coalesced, single, job), args);
    String where = "op " + op + " " + (single ? "append" : "append-all") + " " + args;
    assertEquals(expected, actual, where);
    assertEquals(dump(legacy, ttl), dump(coalesced, ttl), where);
  }

  /** The thread's keys, its shard's fence and job keys; the append scripts' KEYS. */
  private static List<String> keys(String prefix, boolean single, boolean job) {
    List<String> keys = new ArrayList<>(List.of(prefix + "meta", prefix + "log", prefix + "tok",
        prefix + "idem", prefix + "ends", prefix + "fence"));
    if (job) {
      keys.addAll(single ? List.of(prefix + "jobs", prefix + "jobq", prefix + "jobn")
          : List.of(prefix + "jobs", prefix + "jobq"));
    }
    return keys;
  }

  private static List<String> appendArgs(String token, String[] d, int frames, int messages,
      String ttl, int op, boolean job) {
    List<String> args = new ArrayList<>(List.of(token, d[0], "1", d[1], Integer.toString(frames),
        ttl, "E" + op, Integer.toString(messages), d[2], d[3]));
    if (job) {
      args.addAll(List.of("job" + (op % 5), "{\"op\":" + op + "}", ttl, "3"));
    }
    return args;
  }

  private static List<String> appendAllArgs(String token, List<String[]> drafts, int frames,
      int messages, String ttl, int op, boolean job) {
    List<String> args = new ArrayList<>(List.of(token, "1", Integer.toString(frames), ttl,
        "E" + op, Integer.toString(messages), job ? "job" + (op % 5) : ""));
    for (String[] d : drafts) {
      args.addAll(List.of(d));
    }
    return args;
  }

  /** Loses the same keys of both threads: the meta hash, both streams, or the idempotency hash. */
  private static void lose(int what, String... prefixes) {
    for (String p : prefixes) {
      List<String> gone = switch (what) {
        case 0 -> List.of(p + "meta");
        case 1 -> List.of(p + "log", p + "tok");
        default -> List.of(p + "idem");
      };
      TestRedis.send(redis.admin, Command.DEL, gone.toArray()).await();
    }
  }

  private static String run(String script, List<String> keys, List<String> args) {
    List<Object> all = new ArrayList<>(List.of(script, keys.size()));
    all.addAll(keys);
    all.addAll(args);
    Future<Response> answer = TestRedis.send(redis.admin, Command.EVAL, all.toArray());
    return answer.map(RedisScriptsEquivalenceTest::canonical)
        .otherwise(err -> "error " + err.getMessage().replaceAll("f_[0-9a-f]+", "f"))
        .await();
  }

  private static String dump(String prefix, String ttl) {
    List<Object> all = new ArrayList<>(List.of(DUMP, 9));
    for (String name : List.of("meta", "log", "tok", "idem", "ends", "fence", "jobs", "jobq",
        "jobn")) {
      all.add(prefix + name);
    }
    all.add(ttl);
    return TestRedis.send(redis.admin, Command.EVAL, all.toArray()).await().toString();
  }

  private static String canonical(Response r) {
    if (r == null) {
      return "nil";
    }
    if (r.type() != ResponseType.MULTI) {
      return r.toString();
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      parts.add(canonical(r.get(i)));
    }
    return parts.toString();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = RedisScriptsEquivalenceTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
