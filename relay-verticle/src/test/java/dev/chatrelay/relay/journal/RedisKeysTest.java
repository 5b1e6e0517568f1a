package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

  private static final Pattern TAG = Pattern.compile("\\{([^}]*)}");
  private final RedisKeys keys = new RedisKeys("cr:", Shards.DEFAULT_COUNT);

  @Test
  void aThreadsKeysAndItsShardsKeysShareOneHashTag() {
    ThreadKey thread = new ThreadKey("alice", "t1");
    int shard = Shards.shardOf(thread, Shards.DEFAULT_COUNT);
    RedisKeys.ThreadKeys t = keys.thread(thread);
    RedisKeys.ShardKeys s = keys.shard(shard);
    assertEquals(shard, t.shard());
    for (String key : List.of(t.meta(), t.log(), t.idem(), t.fence(), s.fence(), s.jobs(),
        s.jobOrder(), s.jobCounter())) {
      assertEquals("s" + shard, tagOf(key), key);
      assertTrue(key.startsWith("cr:{s" + shard + "}:"), key);
    }
    assertEquals(t.fence(), s.fence());
  }

  @Test
  void threadIdsAreFortyHexCharsAndSeparateUsersAndThreads() {
    String id = RedisKeys.threadId(new ThreadKey("alice", "t1"));
    assertTrue(id.matches("[0-9a-f]{40}"), id);
    assertEquals(id, RedisKeys.threadId(new ThreadKey("alice", "t1")));
    assertNotEquals(id, RedisKeys.threadId(new ThreadKey("bob", "t1")));
    assertNotEquals(id, RedisKeys.threadId(new ThreadKey("alice", "t2")));
    // The NUL separator keeps ("a", "bc") and ("ab", "c") apart.
    assertNotEquals(RedisKeys.threadId(new ThreadKey("a", "bc")),
        RedisKeys.threadId(new ThreadKey("ab", "c")));
  }

  @Test
  void keyNamesFollowTheDocumentedLayout() {
    ThreadKey thread = new ThreadKey("{weird}\u00e9", "t:1");
    int shard = Shards.shardOf(thread, Shards.DEFAULT_COUNT);
    String h = RedisKeys.threadId(thread);
    RedisKeys.ThreadKeys t = keys.thread(thread);
    assertEquals("cr:{s" + shard + "}:t:" + h + ":meta", t.meta());
    assertEquals("cr:{s" + shard + "}:t:" + h + ":log", t.log());
    assertEquals("cr:{s" + shard + "}:t:" + h + ":idem", t.idem());
    assertEquals("cr:{s7}:jobs", keys.shard(7).jobs());
    assertEquals("cr:{s7}:jobq", keys.shard(7).jobOrder());
    assertEquals("cr:{s7}:jobn", keys.shard(7).jobCounter());
    assertEquals(h + "/s1", RedisKeys.pendingField(thread, "s1"));
  }

  /** What Redis Cluster hashes: the first {...} with something inside. */
  private static String tagOf(String key) {
    Matcher m = TAG.matcher(key);
    assertTrue(m.find(), key);
    return m.group(1);
  }
}
