package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertFields;
import static dev.chatrelay.it.Conversations.awaitHead;
import static dev.chatrelay.it.Conversations.framesPerReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A cursor that needs a conversation frame no longer retained is reset with reason {@code
 * retention}; token frames beyond the newest frames are compacted and replay as {@code
 * compacted} runs instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionIT {

  private static final int RETAINED = 20;
  /** Conversation frames kept: the three sends make six, so the oldest four leave. */
  private static final int MESSAGES = 2;
  private static final int WINDOW = 4;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_RETENTION_FRAMES", String.valueOf(RETAINED))
        .set("RELAY_RETENTION_MESSAGES", String.valueOf(MESSAGES))
        .set("RELAY_ACK_WINDOW", String.valueOf(WINDOW))
        .set("RELAY_SLOW_CONSUMER_MS", "60000")
        .start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private long writeThreeReplies(String token, String thread) {
    for (int i = 0; i < 3; i++) {
      system.api().postMessage(token, thread, "r" + i, "retention " + i);
    }
    long head = 3L * framesPerReply("retention 0");
    awaitHead(system.api(), token, thread, head);
    return head;
  }

  @Test
  void resumingBelowRetentionIsResetAndAfterZeroMeansAllRetained() {
    String token = system.token("retention-resume");
    long head = writeThreeReplies(token, "old");
    List<JsonObject> retained = system.api().allFrames(token, "old");
    assertTrue(retained.size() >= MESSAGES && retained.size() < head,
        "trimmed: " + retained.size());
    Replies.assertIncreasing(retained);
    // The newest frames are all kept, whatever their kind.
    Replies.assertContiguous(retained.subList(retained.size() - RETAINED, retained.size()),
        head - RETAINED + 1);
    String epoch = retained.get(0).getString("epoch");
    try (WsTestClient client = system.connect()) {
      client.hello(token, Commands.resume(Commands.resumeEntry("old", epoch, 1)));
      assertFields(new JsonObject().put("type", "reset").put("thread", "old").put("epoch", epoch)
          .put("head", head).put("reason", "retention"), client.next("reset"));
      JsonObject subscribed = Conversations.subscribe(client, "old", 0);
      assertEquals(head, subscribed.getLong("head"));
      List<JsonObject> replayed = client.until(m -> m.getLong("seq", 0L) == head,
          Duration.ofSeconds(10));
      assertEquals(retained, replayed.stream().filter(Replies::isFrame).toList(),
          "after 0 replays everything retained");
      // Frames and compacted runs together cover every seq from the floor on.
      long at = -1;
      for (JsonObject m : replayed) {
        long from = Replies.isFrame(m) ? m.getLong("seq") : m.getLong("from");
        at = at < 0 ? from - 1 : at;
        assertEquals(at + 1, from, "no gap at " + m.encode());
        at = Replies.isFrame(m) ? from : m.getLong("to");
      }
    }
  }

  @Test
  void liveSubscriptionFallingOutOfRetentionIsReset() {
    String token = system.token("retention-live");
    WsTestClient.Options noAcks = WsTestClient.Options.defaults().autoAck(false);
    try (WsTestClient client = system.connect(noAcks)) {
      client.hello(token);
      Conversations.subscribe(client, "live", 0);
      long head = writeThreeReplies(token, "live");
      for (int seq = 1; seq <= WINDOW; seq++) {
        assertEquals(seq, client.next("frame").getLong("seq"));
      }
      // The window is full until this ack; the next frame to send is no longer retained.
      client.send(Commands.ack("live", WINDOW));
      JsonObject reset = client.next("reset");
      assertEquals("live", reset.getString("thread"));
      assertEquals("retention", reset.getString("reason"));
      assertTrue(reset.getLong("head") >= WINDOW && reset.getLong("head") <= head, reset.encode());
    }
  }
}
