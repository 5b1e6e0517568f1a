package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertError;
import static dev.chatrelay.it.Conversations.send;
import static dev.chatrelay.it.Conversations.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Conversations.Exchange;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code cancel}: the reply stops with the text so far; nothing to cancel is not_found. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelIT {

  /** Slow chunks, so a cancel sent after the first chunk always lands mid-reply. */
  private static final int CHUNK_DELAY_MS = 200;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_SCRIPTED_DELAY_MS", String.valueOf(CHUNK_DELAY_MS))
        .start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  @Test
  void cancelMidReplyEndsWithTheTextSoFar() {
    String token = system.token("cancel-mid");
    String text = "tell me a long story";
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      subscribe(client, "mid", 0);
      client.send(Commands.send("mid", "c1", text));
      List<JsonObject> frames = new ArrayList<>();
      frames.addAll(client.until(m -> Replies.isFrame(m) && "chunk".equals(Replies.kind(m)),
          Conversations.REPLY_WAIT));
      client.send(Commands.cancel("mid", "c1"));
      frames.addAll(client.until(m -> Replies.isEndOf(m, "c1"), Conversations.REPLY_WAIT));
      frames.removeIf(m -> !Replies.isFrame(m));

      Replies.assertContiguous(frames, 1);
      assertEquals("user_message", Replies.kind(frames.get(0)));
      Replies.assertTyping(frames.get(1), true, "c1");
      StringBuilder soFar = new StringBuilder();
      int chunks = frames.size() - 4;
      assertTrue(chunks >= 1 && chunks < Replies.chunks(text, Replies.DEFAULT_CHUNKS),
          "cut short after the first chunk: " + frames);
      for (int i = 0; i < chunks; i++) {
        JsonObject chunk = frames.get(2 + i);
        assertEquals("chunk", Replies.kind(chunk));
        assertEquals(i, chunk.getJsonObject("data").getInteger("index"));
        soFar.append(chunk.getJsonObject("data").getString("text"));
      }
      JsonObject message = frames.get(frames.size() - 2);
      assertEquals("message", Replies.kind(message));
      assertEquals("c1", message.getString("replyTo"));
      assertEquals(Boolean.TRUE, message.getJsonObject("data").getBoolean("cancelled"));
      assertEquals(soFar.toString(), message.getJsonObject("data").getString("text"));
      assertTrue(Replies.reply(text).startsWith(soFar.toString()));
      Replies.assertTyping(frames.get(frames.size() - 1), false, "c1");
      assertEquals(frames, system.api().allFrames(token, "mid"));

      // The thread goes on: the next send gets a full reply.
      Exchange next = send(client, "mid", "c2", "next");
      Replies.assertReply(next.frames(), "mid", "c2", "next", Replies.chunks("next", 8));
    }
  }

  @Test
  void cancellingAQueuedReplyYieldsAnEmptyCancelledMessage() {
    String token = system.token("cancel-queued");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      subscribe(client, "queued", 0);
      client.send(Commands.send("queued", "q1", "first"));
      client.send(Commands.send("queued", "q2", "second"));
      // Wait until q2 is journaled (its user_message) while q1 is still streaming.
      List<JsonObject> frames = new ArrayList<>(client.until(m -> Replies.isFrame(m)
          && "user_message".equals(Replies.kind(m)) && "q2".equals(m.getString("id")),
          Conversations.REPLY_WAIT));
      client.send(Commands.cancel("queued", "q2"));
      frames.addAll(client.until(m -> Replies.isEndOf(m, "q2"), Conversations.REPLY_WAIT));
      frames.removeIf(m -> !Replies.isFrame(m));
      Replies.assertContiguous(frames, 1);
      Replies.assertReply(Replies.of(frames, "q1"), "queued", "q1", "first",
          Replies.chunks("first", 8));
      List<JsonObject> q2 = Replies.of(frames, "q2");
      assertEquals(4, q2.size(), q2.toString());
      assertEquals("user_message", Replies.kind(q2.get(0)));
      Replies.assertTyping(q2.get(1), true, "q2");
      assertEquals("message", Replies.kind(q2.get(2)));
      assertEquals("q2", q2.get(2).getString("replyTo"));
      assertEquals("", q2.get(2).getJsonObject("data").getString("text"));
      assertEquals(Boolean.TRUE, q2.get(2).getJsonObject("data").getBoolean("cancelled"));
      Replies.assertTyping(q2.get(3), false, "q2");
      Replies.assertRepliesInSendOrder(frames, List.of("q1", "q2"));
    }
  }

  @Test
  void cancelWithNothingInProgressIsNotFound() {
    String token = system.token("cancel-none");
    try (WsTestClient client = system.connect()) {
      client.hello(token);
      client.send(Commands.cancel("none", "never-sent"));
      assertError(client, "not_found", "never-sent");
      subscribe(client, "none", 0);
      Exchange done = send(client, "none", "d1", "hi");
      assertTrue(done.frames().size() > 0);
      client.send(Commands.cancel("none", "d1"));
      assertError(client, "not_found", "d1");
      Conversations.assertAlive(client);
    }
  }
}
