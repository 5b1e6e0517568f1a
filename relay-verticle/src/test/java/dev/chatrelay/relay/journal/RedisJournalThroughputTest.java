package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10k appends issued at once, pipelined on the journal's one connection, twice: cold (JIT not
 * warmed up) and warm. The rates are printed, not asserted (the box is shared); the test checks
 * that every append landed with the right seq.
 */
class RedisJournalThroughputTest {

  private static final int THREADS = 100;
  private static final int PER_THREAD = 100;

  private static RedisTestJournals redis;

  @BeforeAll
  static void start() {
    redis = new RedisTestJournals(RedisJournalThroughputTest.class);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void tenThousandPipelinedAppendsOverAHundredThreads() {
    RedisJournal journal = redis.open(redis.options());
    appendAndMeasure(journal, "cold");
    appendAndMeasure(journal, "warm");
  }

  private static void appendAndMeasure(RedisJournal journal, String label) {
    List<ThreadKey> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      threads.add(new ThreadKey(label, "t" + t));
    }
    long start = System.nanoTime();
    List<Future<Appended>> results = new ArrayList<>(THREADS * PER_THREAD);
    for (int i = 0; i < PER_THREAD; i++) {
      for (ThreadKey thread : threads) {
        results.add(journal.append(thread, chunk("a/s/" + i, i)));
      }
    }
    Future.all(results).await();
    long elapsedNs = System.nanoTime() - start;

    System.out.printf("redis journal (%s): %d pipelined appends over %d threads in %d ms"
            + " = %.0f appends/s%n", label, results.size(), THREADS, elapsedNs / 1_000_000,
        results.size() * 1e9 / elapsedNs);
    for (int i = 0; i < results.size(); i++) {
      Appended a = results.get(i).result();
      assertTrue(a.created());
      assertEquals(i / THREADS + 1, a.frame().seq(), "per-thread order kept");
    }
    for (ThreadKey thread : threads) {
      assertEquals(PER_THREAD, journal.info(thread).await().head());
    }
  }

  private static FrameDraft chunk(String key, int index) {
    return new FrameDraft(key, key, FrameKind.CHUNK, "s",
        new JsonObject().put("text", "a token of about twenty bytes").put("index", index));
  }
}
