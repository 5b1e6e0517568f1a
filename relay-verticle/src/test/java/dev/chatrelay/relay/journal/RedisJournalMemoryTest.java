package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.RelayConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis memory of one thread with model-sized replies (400 one-character chunks per turn, each
 * turn one appendAll per 20 chunks as workers batch them) and the default retention: measured
 * with {@code MEMORY USAGE} over the thread's keys and printed (docs/ARCHITECTURE.md quotes it).
 */
class RedisJournalMemoryTest {

  private static final int CHUNKS = 400;
  private static RedisTestJournals redis;

  @BeforeAll
  static void start() {
    redis = new RedisTestJournals(RedisJournalMemoryTest.class);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void fiftyLongTurnsKeepTheConversationInBoundedMemory() {
    String prefix = redis.prefix + "memory:";
    RedisJournal journal = redis.open(redis.options().withKeyPrefix(prefix).withRetention(
        RelayConfig.DEFAULT_RETENTION_FRAMES, RedisTestJournals.TEST_TTL_S, Clock.SYSTEM)
        .withRetentionMessages(RelayConfig.DEFAULT_RETENTION_MESSAGES));
    ThreadKey thread = new ThreadKey("dave", "t1");
    for (int turn = 1; turn <= 50; turn++) {
      String send = "q" + turn;
      String question = "turn " + turn + " " + "x".repeat(CHUNKS);
      List<FrameDraft> reply = new ArrayList<>();
      reply.add(FrameDraft.reply(send, 0, FrameKind.TYPING, new JsonObject().put("on", true)));
      for (int i = 1; i <= CHUNKS; i++) {
        reply.add(FrameDraft.reply(send, i, FrameKind.CHUNK,
            new JsonObject().put("text", "x").put("index", i - 1)));
      }
      reply.add(FrameDraft.reply(send, CHUNKS + 1, FrameKind.MESSAGE,
          new JsonObject().put("text", "echo: " + question)));
      reply.add(FrameDraft.reply(send, CHUNKS + 2, FrameKind.TYPING,
          new JsonObject().put("on", false)));
      journal.append(thread, FrameDraft.userMessage(send, question)).await();
      for (int from = 0; from < reply.size(); from += 20) {
        journal.appendAll(thread, reply.subList(from, Math.min(reply.size(), from + 20))).await();
      }
    }
    RedisKeys.ThreadKeys k = new RedisKeys(prefix, Shards.DEFAULT_COUNT).thread(thread);
    long bytes = 0;
    for (String key : k.all()) {
      bytes += TestRedis.send(redis.admin, Command.MEMORY, "USAGE", key, "SAMPLES", "0").await()
          .toLong();
    }
    long retained = journal.read(thread, 0, 100_000).await().size();
    System.out.printf("event=memory.redis_thread turns=50 bytes=%d retained=%d head=%d%n", bytes,
        retained, journal.info(thread).await().head());
    assertEquals(100 + 1000 - 5, retained, "50 questions, 50 replies and the newest 1000 seqs");
    assertTrue(bytes < 1024 * 1024, "bytes " + bytes);
  }
}
