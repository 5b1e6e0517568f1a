package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.reply.ReplyCheck;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What one {@code send} must produce on the stream (PROTOCOL.md, Server → client). */
public final class Replies {

  /** RELAY_SCRIPTED_CHUNKS default. */
  public static final int DEFAULT_CHUNKS = 8;

  private Replies() {}

  public static String reply(String text) {
    return "echo: " + text;
  }

  /** Chunks of the scripted reply to {@code text}: the configured count, at most one per char. */
  public static int chunks(String text, int configured) {
    return Math.min(configured, reply(text).length());
  }

  public static boolean isFrame(JsonObject m) {
    return "frame".equals(m.getString("type"));
  }

  public static String kind(JsonObject frame) {
    return frame.getString("kind");
  }

  /** The last frame of the reply to {@code sendId}: {@code typing {on:false}}. */
  public static boolean isEndOf(JsonObject m, String sendId) {
    return isFrame(m) && "typing".equals(kind(m)) && sendId.equals(m.getString("replyTo"))
        && Boolean.FALSE.equals(m.getJsonObject("data").getBoolean("on"));
  }

  /** Frames of one send in stream order: its user_message and the frames replying to it. */
  public static List<JsonObject> of(List<JsonObject> frames, String sendId) {
    List<JsonObject> mine = new ArrayList<>();
    for (JsonObject f : frames) {
      boolean user = "user_message".equals(kind(f)) && sendId.equals(f.getString("id"));
      if (user || sendId.equals(f.getString("replyTo"))) {
        mine.add(f);
      }
    }
    return mine;
  }

  /** Seqs strictly consecutive from {@code first}, all of one thread and epoch. */
  public static void assertContiguous(List<JsonObject> frames, long first) {
    long expected = first;
    String epoch = frames.isEmpty() ? null : frames.get(0).getString("epoch");
    for (JsonObject f : frames) {
      assertEquals(expected, f.getLong("seq"), "gap or duplicate at " + f.encode());
      assertEquals(epoch, f.getString("epoch"), "epoch changed at " + f.encode());
      expected++;
    }
  }

  /** Seqs strictly increasing (frames of one send may have other sends' frames between them). */
  public static void assertIncreasing(List<JsonObject> frames) {
    for (int i = 1; i < frames.size(); i++) {
      assertTrue(frames.get(i).getLong("seq") > frames.get(i - 1).getLong("seq"),
          "out of order at " + frames.get(i).encode());
    }
  }

  /**
   * Replies of one thread run one at a time in send order: the assistant frames, grouped by
   * {@code replyTo}, form one block per send, in {@code sendIds} order.
   */
  public static void assertRepliesInSendOrder(List<JsonObject> frames, List<String> sendIds) {
    List<String> blocks = new ArrayList<>();
    for (JsonObject f : frames) {
      String replyTo = f.getString("replyTo");
      if (replyTo != null && (blocks.isEmpty() || !blocks.get(blocks.size() - 1).equals(replyTo))) {
        blocks.add(replyTo);
      }
    }
    assertEquals(sendIds, blocks, "reply blocks in stream order");
  }

  /**
   * The frames of one successful send, in order: {@code user_message} (id = send id, the text),
   * then a reply of the shape {@link ReplyCheck} checks, with {@code chunks} chunks and no
   * restart, whose message is the scripted reply; increasing seqs; assistant frames carry
   * {@code replyTo}.
   */
  public static void assertReply(List<JsonObject> frames, String thread, String sendId,
      String text, int chunks) {
    String context = "reply to " + sendId + ": " + frames;
    assertEquals(chunks + 4, frames.size(), context);
    assertIncreasing(frames);
    JsonObject user = frames.get(0);
    assertEquals("user_message", kind(user), context);
    assertEquals(sendId, user.getString("id"), context);
    assertEquals(text, user.getJsonObject("data").getString("text"), context);
    List<JsonObject> reply = frames.subList(1, frames.size());
    assertEquals(List.of(), ReplyCheck.violations(reply), context);
    for (JsonObject f : reply) {
      assertEquals(sendId, f.getString("replyTo"), context);
    }
    assertTrue(reply.stream().noneMatch(f -> "restart".equals(kind(f))), "no restart: " + context);
    assertEquals(reply(text), frames.get(2 + chunks).getJsonObject("data").getString("text"), context);
    for (JsonObject f : frames) {
      assertFrameShape(f, thread);
    }
  }

  public static void assertTyping(JsonObject frame, boolean on, String sendId) {
    assertEquals("typing", kind(frame), frame.encode());
    assertEquals(on, frame.getJsonObject("data").getBoolean("on"), frame.encode());
    assertEquals(sendId, frame.getString("replyTo"), frame.encode());
  }

  /** Fields every frame has (PROTOCOL.md: frame row). */
  public static void assertFrameShape(JsonObject f, String thread) {
    assertEquals("frame", f.getString("type"), f.encode());
    assertEquals(thread, f.getString("thread"), f.encode());
    assertNotNull(f.getString("epoch"), f.encode());
    assertTrue(!f.getString("epoch").isEmpty(), f.encode());
    assertTrue(f.getLong("seq") >= 1, f.encode());
    assertNotNull(f.getString("id"), f.encode());
    assertNotNull(f.getString("kind"), f.encode());
    assertTrue(f.getLong("ts") > 1_600_000_000_000L, "ts in epoch ms: " + f.encode());
    assertNotNull(f.getJsonObject("data"), f.encode());
  }
}
