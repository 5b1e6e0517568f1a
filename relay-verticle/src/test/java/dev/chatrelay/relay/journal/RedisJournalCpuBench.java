package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Redis CPU per journaled frame, as the chat benchmark loads it: threads in a closed loop, each
 * reply one send (user message with its pending job) and one ending batch of typing, chunks,
 * message, typing. Runs the real {@link RedisJournal} on a redis-server of its own and prints
 * Redis's CPU (INFO cpu) and script time (INFO commandstats) per frame, for a phase before the
 * retention limit and one well past it. Not a unit test (no Test suffix): run it with {@code mvn
 * -o -q -pl relay-verticle -am verify -Dtest=RedisJournalCpuBench
 * -Dsurefire.failIfNoSpecifiedTests=false}; sizes via {@code -Dbench.threads},
 * {@code -Dbench.warmReplies}, {@code -Dbench.replies} (per round), {@code -Dbench.rounds}.
 */
class RedisJournalCpuBench {

  private static final int CHUNKS = 8;
  private static final int RETENTION_FRAMES = 1000;

  @Test
  void redisCpuPerFrame() throws InterruptedException {
    int threads = Integer.getInteger("bench.threads", 100);
    int warm = Integer.getInteger("bench.warmReplies", 90);
    int replies = Integer.getInteger("bench.replies", 100);
    int rounds = Integer.getInteger("bench.rounds", 3);
    Vertx vertx = Vertx.vertx();
    try (OwnRedis own = OwnRedis.start()) {
      System.out.println("bench redis pid=" + own.pid());
      Redis admin = Redis.createClient(vertx, own.url());
      RedisJournal journal = RedisJournal.connect(vertx, RedisJournalOptions.defaults(own.url())
          .withKeyPrefix("bench:").withRetention(RETENTION_FRAMES, 3600, Clock.SYSTEM)).await();
      List<ThreadKey> keys = new ArrayList<>();
      Set<Integer> shards = new TreeSet<>();
      RedisKeys names = new RedisKeys("bench:", RedisJournalOptions.defaults(own.url()).shards());
      for (int t = 0; t < threads; t++) {
        ThreadKey key = new ThreadKey("user" + t, "t1");
        keys.add(key);
        shards.add(names.shardOf(key));
      }
      for (int shard : shards) {
        journal.claimShard(shard).await();
      }
      phase(admin, journal, keys, 0, warm, "before retention");
      Thread.sleep(Long.getLong("bench.pauseMs", 0)); // time to attach a profiler
      List<Double> past = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        past.add(phase(admin, journal, keys, warm + r * replies, replies, "past retention"));
      }
      past.sort(null);
      System.out.printf("bench past retention over %d rounds: redis cpu min %.2f, median %.2f"
          + " us/frame%n", rounds, past.get(0), past.get(past.size() / 2));
      for (ThreadKey key : keys) {
        assertEquals((long) (warm + rounds * replies) * (CHUNKS + 4),
            journal.info(key).await().head());
      }
      journal.close().await();
      admin.close();
    } finally {
      vertx.close().await();
    }
  }

  /** Runs replies {@code from} on for every thread; prints and answers Redis CPU us per frame. */
  private static double phase(Redis admin, RedisJournal journal, List<ThreadKey> keys, int from,
      int replies, String label) {
    send(admin, Command.CONFIG, "RESETSTAT");
    Map<String, String> cpuBefore = section(send(admin, Command.INFO, "cpu"));
    long start = System.nanoTime();
    List<Future<Void>> loops = new ArrayList<>();
    for (ThreadKey key : keys) {
      Promise<Void> done = Promise.promise();
      loop(journal, key, from, from + replies, done);
      loops.add(done.future());
    }
    Future.all(loops).await();
    long wallMs = (System.nanoTime() - start) / 1_000_000;
    Map<String, String> cpuAfter = section(send(admin, Command.INFO, "cpu"));
    double user = seconds(cpuAfter, cpuBefore, "used_cpu_user");
    double cpu = user + seconds(cpuAfter, cpuBefore, "used_cpu_sys");
    Map<String, Map<String, String>> stats = commandStats(admin);
    long frames = (long) keys.size() * replies * (CHUNKS + 4);
    Map<String, String> eval = stats.getOrDefault("evalsha", Map.of());
    System.out.printf("bench %s: %d frames in %d ms; redis cpu %.2f us/frame (user %.2f);"
            + " evalsha %d calls, %.2f us/frame, %s us/call%n", label, frames, wallMs,
        cpu * 1e6 / frames, user * 1e6 / frames, Long.parseLong(eval.getOrDefault("calls", "0")),
        Long.parseLong(eval.getOrDefault("usec", "0")) / (double) frames,
        eval.getOrDefault("usec_per_call", "?"));
    StringBuilder inner = new StringBuilder("bench " + label + " commands per frame (their us):");
    stats.entrySet().stream()
        .filter(e -> !List.of("evalsha", "info", "config|resetstat").contains(e.getKey()))
        .sorted((a, b) -> Long.compare(Long.parseLong(b.getValue().get("calls")),
            Long.parseLong(a.getValue().get("calls"))))
        .forEach(e -> inner.append(String.format(" %s=%.2f(%.2fus)", e.getKey(),
            Long.parseLong(e.getValue().get("calls")) / (double) frames,
            Long.parseLong(e.getValue().get("usec")) / (double) frames)));
    System.out.println(inner);
    return cpu * 1e6 / frames;
  }

  /** One thread's replies, one after another (a closed loop: the next starts when one ends). */
  private static void loop(RedisJournal journal, ThreadKey key, int reply, int end,
      Promise<Void> done) {
    if (reply == end) {
      done.complete();
      return;
    }
    String send = "s" + reply;
    String text = "question number " + reply + " from " + key.sub();
    PendingJob job = new PendingJob(key, send, text, 0);
    journal.appendSend(key, FrameDraft.userMessage(send, text), job)
        .compose(a -> journal.appendEnding(key, replyDrafts(send, "echo: " + text), null, send))
        .onSuccess(a -> loop(journal, key, reply + 1, end, done))
        .onFailure(done::fail);
  }

  /** typing on, the chunks, the message, typing off: as the scripted engine's reply journals. */
  private static List<FrameDraft> replyDrafts(String send, String reply) {
    List<FrameDraft> out = new ArrayList<>();
    out.add(FrameDraft.reply(send, 0, FrameKind.TYPING, new JsonObject().put("on", true)));
    int size = (reply.length() + CHUNKS - 1) / CHUNKS;
    for (int i = 1; i <= CHUNKS; i++) {
      String piece = reply.substring(Math.min(reply.length(), (i - 1) * size),
          Math.min(reply.length(), i * size));
      out.add(FrameDraft.reply(send, i, FrameKind.CHUNK,
          new JsonObject().put("text", piece).put("index", i - 1)));
    }
    out.add(FrameDraft.reply(send, CHUNKS + 1, FrameKind.MESSAGE,
        new JsonObject().put("text", reply)));
    out.add(FrameDraft.reply(send, CHUNKS + 2, FrameKind.TYPING,
        new JsonObject().put("on", false)));
    return out;
  }

  private static double seconds(Map<String, String> after, Map<String, String> before,
      String name) {
    return Double.parseDouble(after.get(name)) - Double.parseDouble(before.get(name));
  }

  /** cmdstat_NAME:calls=..,usec=..,usec_per_call=.. as NAME -> field -> value. */
  private static Map<String, Map<String, String>> commandStats(Redis admin) {
    Map<String, Map<String, String>> out = new HashMap<>();
    section(send(admin, Command.INFO, "commandstats")).forEach((name, value) -> {
      Map<String, String> fields = new HashMap<>();
      for (String pair : value.split(",")) {
        int eq = pair.indexOf('=');
        fields.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      out.put(name.replace("cmdstat_", ""), fields);
    });
    return out;
  }

  private static Map<String, String> section(String info) {
    Map<String, String> out = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  private static String send(Redis admin, Command command, String... args) {
    return TestRedis.send(admin, command, (Object[]) args).await().toString();
  }
}
