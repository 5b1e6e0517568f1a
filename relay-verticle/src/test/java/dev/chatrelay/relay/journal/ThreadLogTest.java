package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two rings and the key index against a plain model (a list of every append; user messages
 * are conversation frames kept by count, the chunks belong to a reply that never ends so they
 * are never compacted and leave only with the conversation below the floor): seeded random
 * appends, mostly new keys, some repeats of retained keys and of keys already trimmed, across
 * ring growth and many index rebuilds.
 */
class ThreadLogTest {

  private static final long SEED = 20261127L;

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 16, 17, 100, 1000})
  void appendsReadsAndDuplicatesMatchTheModel(int retention) {
    Random random = new Random(SEED + retention);
    ThreadLog log = new ThreadLog("t1", "e1", 1, retention);
    List<String> model = new ArrayList<>(); // key of seq i+1
    List<Frame> made = new ArrayList<>(); // frame of seq i+1, as append returned it
    int fresh = 0;
    for (int step = 0; step < 20_000; step++) {
      String key = pickKey(random, model, retention, fresh);
      if (key.equals("k" + fresh)) {
        fresh++;
      }
      int retainedFrom = floor(model, retention);
      int known = model.subList(retainedFrom, model.size()).indexOf(key);
      Appended appended = log.append(draft(key), step);
      if (known >= 0) {
        assertEquals(false, appended.created(), "repeat of retained " + key);
        assertEquals(retainedFrom + known + 1, appended.frame().seq());
        assertFrameEquals(made.get(retainedFrom + known), appended.frame());
      } else {
        assertTrue(appended.created(), "new or trimmed key " + key);
        model.add(key);
        made.add(appended.frame());
        assertEquals(model.size(), appended.frame().seq());
      }
      assertEquals(key, appended.frame().id());
    }
    long head = model.size();
    long oldest = floor(model, retention) + 1;
    assertEquals(new ThreadInfo("e1", head, oldest), log.info());
    List<Frame> all = log.read(0, Integer.MAX_VALUE).frames();
    assertEquals(head - oldest + 1, all.size());
    for (Frame f : all) {
      assertFrameEquals(made.get((int) f.seq() - 1), f);
    }
    List<Frame> page = log.read(head - 2, 2).frames();
    assertEquals(Math.min(2, all.size()), page.size());
    assertEquals(head - Math.min(1, all.size() - 1), page.get(0).seq());
  }

  /** Index (= seq - 1) of the oldest retained frame: just after the last user message dropped. */
  private static int floor(List<String> model, int retention) {
    int users = 0;
    for (int i = model.size() - 1; i >= 0; i--) {
      if (user(model.get(i)) && ++users > retention) {
        return i + 1;
      }
    }
    return 0;
  }

  private static boolean user(String key) {
    return key.hashCode() % 2 == 0;
  }

  /** 80% a new key, 15% a retained one, 5% one that may have been trimmed. */
  private static String pickKey(Random random, List<String> model, int retention, int fresh) {
    int roll = random.nextInt(100);
    if (model.isEmpty() || roll < 80) {
      return "k" + fresh;
    }
    if (roll < 95) {
      int from = floor(model, retention);
      return model.get(from + random.nextInt(model.size() - from));
    }
    return model.get(random.nextInt(model.size()));
  }

  /** User messages (no replyTo) and reply chunks alternate; texts leave ASCII now and then. */
  private static FrameDraft draft(String key) {
    boolean user = user(key);
    JsonObject data = new JsonObject().put("text", key + (key.length() % 3 == 0 ? " é—🙂" : ""));
    return new FrameDraft(key, key, user ? FrameKind.USER_MESSAGE : FrameKind.CHUNK,
        user ? null : "s", data);
  }

  /** Every field and the exact wire text, as the journal must give the frame back. */
  private static void assertFrameEquals(Frame expected, Frame actual) {
    assertEquals(expected.toWire(), actual.toWire());
    assertEquals(expected.seq(), actual.seq());
    assertEquals(expected.id(), actual.id());
    assertEquals(expected.kind(), actual.kind());
    assertEquals(expected.ts(), actual.ts());
    assertEquals(expected.replyTo(), actual.replyTo());
    assertEquals(expected.thread(), actual.thread());
    assertEquals(expected.epoch(), actual.epoch());
  }
}
