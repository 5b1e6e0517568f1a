package dev.chatrelay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.worker.engine.Completion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyFramesTest {

  @Test
  void anEngineRestartVoidsTheChunksOnlyWhenThereAreAny() {
    ReplyFrames frames = new ReplyFrames();
    List<ReplyFrame> out = new ArrayList<>();
    out.add(frames.typingOn());
    frames.engineRestarted(); // nothing streamed: nothing to void
    out.addAll(frames.chunk("a"));
    frames.engineRestarted();
    frames.engineRestarted(); // twice before new output: still one restart
    out.addAll(frames.chunk("b"));
    out.addAll(frames.chunk("c"));
    out.addAll(frames.message(Completion.NONE));
    out.add(frames.typingOff());
    assertEquals(List.of("typing:0", "chunk:1", "restart:2", "chunk:3", "chunk:4", "message:5",
        "typing:6"), out.stream().map(f -> f.kind().wire() + ":" + f.index()).toList());
    assertEquals(new JsonObject().put("attempt", 2), out.get(2).data());
    assertEquals(List.of(0, 0, 1), out.stream().filter(f -> f.kind() == FrameKind.CHUNK)
        .map(f -> f.data().getInteger("index")).toList());
    assertEquals("bc", out.get(5).data().getString("text"));
  }

  @Test
  void continuingAfterJournaledChunksRestartsWithTheNextGenerationNumber() {
    JournaledReply journaled = JournaledReply.of("j", List.of(
        frame(1, "j:0", FrameKind.TYPING, new JsonObject().put("on", true)),
        frame(2, "j:1", FrameKind.CHUNK, new JsonObject().put("text", "x").put("index", 0)),
        frame(3, "j:2", FrameKind.RESTART, new JsonObject().put("attempt", 2)),
        frame(4, "j:3", FrameKind.CHUNK, new JsonObject().put("text", "y").put("index", 0))));
    ReplyFrames frames = new ReplyFrames();
    frames.continueAfter(journaled, 4);
    assertEquals("y", frames.cancelled().data().getString("text"), "a cancel keeps the shown text");
    ReplyFrames again = new ReplyFrames();
    again.continueAfter(journaled, 4);
    List<ReplyFrame> out = again.chunk("z");
    assertEquals(List.of(4, 5), out.stream().map(ReplyFrame::index).toList());
    assertEquals(new JsonObject().put("attempt", 3), out.get(0).data());
    assertEquals(new JsonObject().put("text", "z").put("index", 0), out.get(1).data());
  }

  @Test
  void continuingAfterOnlyTypingNeedsNoRestartButUnseenFramesDo() {
    JournaledReply typingOnly = JournaledReply.of("j", List.of(
        frame(1, "j:0", FrameKind.TYPING, new JsonObject().put("on", true))));
    ReplyFrames frames = new ReplyFrames();
    frames.continueAfter(typingOnly, 1);
    assertEquals(List.of(FrameKind.CHUNK), frames.chunk("a").stream().map(ReplyFrame::kind).toList());
    ReplyFrames unseen = new ReplyFrames();
    unseen.continueAfter(typingOnly, 3); // the relay counted frames the read did not see
    assertEquals(List.of(FrameKind.RESTART, FrameKind.CHUNK),
        unseen.chunk("a").stream().map(ReplyFrame::kind).toList());
    assertEquals(5, unseen.nextIndex(), "restart at 3, chunk at 4");
  }

  private static Frame frame(long seq, String id, FrameKind kind, JsonObject data) {
    return new Frame("t", "e", seq, id, kind, 0, "j", data);
  }
}
