package dev.chatrelay.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Steps that most black-box tests share, each asserting what PROTOCOL.md promises. */
public final class Conversations {

  /** Longest wait for one whole reply (tiny scripted delays in tests). */
  public static final Duration REPLY_WAIT = Duration.ofSeconds(20);

  private Conversations() {}

  /** Sends {@code subscribe} and returns the {@code subscribed} that must come next. */
  public static JsonObject subscribe(WsTestClient client, String thread, long after) {
    client.send(Commands.subscribe(thread, after));
    JsonObject subscribed = client.next("subscribed");
    assertEquals(thread, subscribed.getString("thread"), subscribed.encode());
    assertTrue(!subscribed.getString("epoch").isEmpty(), subscribed.encode());
    assertTrue(subscribed.getLong("head") >= 0, subscribed.encode());
    return subscribed;
  }

  /** What one {@code send} produced on a connection subscribed to its thread. */
  public record Exchange(JsonObject accepted, List<JsonObject> frames, List<JsonObject> others) {

    public long seq() {
      return accepted.getLong("seq");
    }
  }

  /**
   * Sends and collects until both {@code accepted} and the reply's last frame arrived; frames of
   * {@code thread} go to {@code frames}, anything else to {@code others}.
   */
  public static Exchange send(WsTestClient client, String thread, String id, String text) {
    client.send(Commands.send(thread, id, text));
    return collect(client, thread, id);
  }

  /** Collects the answer to a send already made (see {@link #send}). */
  public static Exchange collect(WsTestClient client, String thread, String id) {
    JsonObject accepted = null;
    boolean ended = false;
    List<JsonObject> frames = new ArrayList<>();
    List<JsonObject> others = new ArrayList<>();
    long deadline = System.nanoTime() + REPLY_WAIT.toNanos();
    while (accepted == null || !ended) {
      JsonObject m = client.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if ("accepted".equals(m.getString("type")) && id.equals(m.getString("id"))) {
        accepted = m;
      } else if (Replies.isFrame(m) && thread.equals(m.getString("thread"))) {
        frames.add(m);
        ended = ended || Replies.isEndOf(m, id);
      } else {
        others.add(m);
      }
    }
    assertEquals(thread, accepted.getString("thread"), accepted.encode());
    return new Exchange(accepted, frames, others);
  }

  /** Polls the history until the thread's head reaches {@code head}; returns the last page. */
  public static JsonObject awaitHead(HistoryApi api, String token, String thread, long head) {
    JsonObject[] last = new JsonObject[1];
    // 20 polls/s stays under any per-user HTTP rate limit (WebSocket default: 50/s).
    await().atMost(REPLY_WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      last[0] = api.page(token, thread, 0L, 1);
      return last[0].getLong("head") >= head;
    });
    assertEquals(head, last[0].getLong("head"), "head overshot: " + last[0].encode());
    return last[0];
  }

  /** A {@code ping} answered by {@code pong}, proving the connection is open and in sync. */
  public static void assertAlive(WsTestClient client) {
    // A ping counts toward the command rate: right after a flood it may be answered
    // rate_limited (no ref) instead; ask again until the bucket has refilled.
    await().atMost(WsTestClient.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      client.send(Commands.ping());
      JsonObject m = client.skipUntil(x -> "pong".equals(x.getString("type"))
          || ("error".equals(x.getString("type")) && "rate_limited".equals(x.getString("code"))
              && !x.containsKey("ref")), WsTestClient.WAIT);
      return "pong".equals(m.getString("type"));
    });
  }

  /** Asserts the next message is {@code error} with {@code code} (and {@code ref} if given). */
  public static JsonObject assertError(WsTestClient client, String code, String ref) {
    JsonObject error = client.next("error");
    assertEquals(code, error.getString("code"), error.encode());
    assertTrue(error.getString("message") != null && !error.getString("message").isEmpty(),
        "error has a message: " + error.encode());
    if (ref != null) {
      assertEquals(ref, error.getString("ref"), error.encode());
    }
    return error;
  }

  /**
   * Every field of {@code expected} has that value in {@code actual}; other fields are allowed,
   * as the project may add optional fields to any message (PROTOCOL.md).
   */
  public static void assertFields(JsonObject expected, JsonObject actual) {
    for (String field : expected.fieldNames()) {
      Object want = expected.getValue(field);
      Object got = actual.getValue(field);
      if (want instanceof Number w && got instanceof Number g) {
        assertEquals(w.doubleValue(), g.doubleValue(), field + " of " + actual.encode());
      } else {
        assertEquals(want, got, field + " of " + actual.encode());
      }
    }
  }

  /** Frames per scripted reply of {@code text} with the default chunk count. */
  public static int framesPerReply(String text) {
    return Replies.chunks(text, Replies.DEFAULT_CHUNKS) + 4;
  }
}
