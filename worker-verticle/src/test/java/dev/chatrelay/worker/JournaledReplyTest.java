package dev.chatrelay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournaledReplyTest {

  private final List<Frame> history = new ArrayList<>();

  @Test
  void countsRestartsAndTheChunksOfTheCurrentWordingOnly() {
    add("j:0", FrameKind.TYPING, "j", new JsonObject().put("on", true));
    add("j:1", FrameKind.CHUNK, "j", chunk("a", 0));
    add("other", FrameKind.USER_MESSAGE, null, new JsonObject().put("text", "queued"));
    add("j:2", FrameKind.RESTART, "j", new JsonObject().put("attempt", 2));
    add("j:3", FrameKind.CHUNK, "j", chunk("b", 0));
    add("j:4", FrameKind.CHUNK, "j", chunk("c", 1));
    add("jj:1", FrameKind.CHUNK, "jj", chunk("not mine", 0)); // a send id that extends ours
    JournaledReply reply = JournaledReply.of("j", history);
    assertEquals(5, reply.count());
    assertEquals(1, reply.restarts());
    assertEquals(2, reply.chunksSinceRestart());
    assertEquals("bc", reply.textSinceRestart());
    assertFalse(reply.endingWritten());
    assertFalse(reply.ended());
  }

  @Test
  void onlyTheStartWithoutAGapCounts() {
    add("j:0", FrameKind.TYPING, "j", new JsonObject().put("on", true));
    add("j:2", FrameKind.CHUNK, "j", chunk("after a gap", 1));
    assertEquals(1, JournaledReply.of("j", history).count());
  }

  @Test
  void seesAnEndingWithOrWithoutTypingOff() {
    add("j:0", FrameKind.TYPING, "j", new JsonObject().put("on", true));
    add("j:1", FrameKind.ERROR, "j", new JsonObject().put("code", "engine_error"));
    JournaledReply errorOnly = JournaledReply.of("j", history);
    assertTrue(errorOnly.endingWritten());
    assertFalse(errorOnly.ended());
    add("j:2", FrameKind.TYPING, "j", new JsonObject().put("on", false));
    assertTrue(JournaledReply.of("j", history).ended());
  }

  private static JsonObject chunk(String text, int index) {
    return new JsonObject().put("text", text).put("index", index);
  }

  private void add(String id, FrameKind kind, String replyTo, JsonObject data) {
    history.add(new Frame("t", "e", history.size() + 1, id, kind, 0, replyTo, data));
  }
}
