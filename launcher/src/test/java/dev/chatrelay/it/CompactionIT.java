package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.awaitHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Retention keeps the conversation, not the tokens (PROTOCOL.md, Compaction), with model-sized
 * replies (400 chunks) and the default retention: after 50 turns the history still has every
 * question and reply, and a client that left during turn 1 resumes without a reset, seeing
 * compacted runs and frames that together cover every seq once, in order, up to head.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class CompactionIT {

  private static final int CHUNKS = 400;
  private static final int TURNS = 50;
  /** Frames the first client reads of turn 1 before it leaves. */
  private static final int READ_BEFORE_LEAVING = 50;
  private static final String THREAD = "long";
  private TestSystem system;

  @BeforeAll
  void start() {
    system = configure()
        .set("RELAY_SCRIPTED_CHUNKS", String.valueOf(CHUNKS))
        .set("RELAY_SCRIPTED_DELAY_MS", "0")
        .start();
  }

  /** The system's environment before the reply settings; the embedded default journal here. */
  protected TestSystem.Builder configure() {
    return TestSystem.configure();
  }

  @AfterAll
  void stop() {
    system.close();
    cleanUp();
  }

  /** Removes what the system left outside the JVM; nothing for the embedded journal. */
  protected void cleanUp() {}

  /** Long enough that the scripted reply has {@link #CHUNKS} chunks (one per character at most). */
  private static String question(int turn) {
    return "turn " + turn + " " + "x".repeat(CHUNKS);
  }

  @Test
  void fiftyLongTurnsKeepTheWholeConversationAndAnOldCursorResumesWithoutReset() {
    String token = system.token("compaction");
    long perTurn = CHUNKS + 4;
    String epoch;
    long cursor;
    try (WsTestClient first = system.connect()) {
      first.hello(token);
      Conversations.subscribe(first, THREAD, 0);
      first.send(Commands.send(THREAD, "q1", question(1)));
      List<JsonObject> seen = new ArrayList<>();
      while (seen.size() < READ_BEFORE_LEAVING) {
        JsonObject m = first.next(Conversations.REPLY_WAIT);
        if (Replies.isFrame(m)) {
          seen.add(m);
        }
      }
      Replies.assertContiguous(seen, 1);
      epoch = seen.get(0).getString("epoch");
      cursor = seen.get(seen.size() - 1).getLong("seq");
    }
    awaitHead(system.api(), token, THREAD, perTurn);
    for (int turn = 2; turn <= TURNS; turn++) {
      assertEquals(202, system.api().postMessage(token, THREAD, "q" + turn, question(turn))
          .status());
      awaitHead(system.api(), token, THREAD, perTurn * turn);
    }
    long head = perTurn * TURNS;

    // The history API: every question and every reply, whole.
    List<JsonObject> history = system.api().allFrames(token, THREAD);
    Map<String, String> replies = new HashMap<>();
    Set<String> questions = new LinkedHashSet<>();
    for (JsonObject f : history) {
      if ("user_message".equals(Replies.kind(f))) {
        questions.add(f.getString("id"));
      } else if ("message".equals(Replies.kind(f))) {
        replies.put(f.getString("replyTo"), f.getJsonObject("data").getString("text"));
      }
    }
    assertEquals(TURNS, questions.size(), "questions in history");
    assertEquals(TURNS, replies.size(), "replies in history");
    for (int turn = 1; turn <= TURNS; turn++) {
      assertEquals(Replies.reply(question(turn)), replies.get("q" + turn), "reply " + turn);
    }
    Replies.assertIncreasing(history);
    assertTrue(history.size() < head / 2, "token frames were compacted: " + history.size());

    // A client that left during turn 1 resumes: no reset, runs and frames cover every seq once.
    try (WsTestClient back = system.connect()) {
      back.hello(token, Commands.resume(Commands.resumeEntry(THREAD, epoch, cursor)));
      JsonObject answer = back.next(Conversations.REPLY_WAIT);
      assertEquals("subscribed", answer.getString("type"), answer.encode());
      assertEquals(head, answer.getLong("head"));
      long at = cursor;
      int runs = 0;
      List<String> messages = new ArrayList<>();
      while (at < head) {
        JsonObject m = back.next(Conversations.REPLY_WAIT);
        String type = m.getString("type");
        assertTrue(!"reset".equals(type), "no reset: " + m.encode());
        if ("compacted".equals(type)) {
          assertEquals(THREAD, m.getString("thread"));
          assertEquals(epoch, m.getString("epoch"));
          assertEquals(at + 1, m.getLong("from"), "a run starts right after the cursor");
          assertTrue(m.getLong("to") >= m.getLong("from"), m.encode());
          at = m.getLong("to");
          runs++;
        } else if (Replies.isFrame(m)) {
          assertEquals(at + 1, m.getLong("seq"), "no gap, no duplicate: " + m.encode());
          at = m.getLong("seq");
          if ("message".equals(Replies.kind(m))) {
            messages.add(m.getString("replyTo"));
          }
        }
      }
      assertEquals(head, at, "the cursor ends at head");
      assertTrue(runs >= TURNS - 1, "compacted runs: " + runs);
      assertEquals(TURNS, messages.size(), "every reply once: " + messages);
      assertEquals(TURNS, new LinkedHashSet<>(messages).size(), "no reply twice: " + messages);
      // The connection stays usable and nothing more comes for the thread.
      Conversations.assertAlive(back);
    }
  }
}
