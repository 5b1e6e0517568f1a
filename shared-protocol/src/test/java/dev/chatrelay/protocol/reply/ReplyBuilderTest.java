package dev.chatrelay.protocol.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyBuilderTest {

  private static List<String> kindsAtIndexes(List<ReplyFrame> frames) {
    return frames.stream().map(f -> f.kind().wire() + ":" + f.index()).toList();
  }

  @Test
  void aStartOverVoidsTheChunksOnlyWhenThereAreAny() {
    ReplyBuilder frames = new ReplyBuilder();
    List<ReplyFrame> out = new ArrayList<>();
    out.add(frames.typingOn());
    frames.startOver(); // nothing streamed: nothing to void
    out.addAll(frames.chunk("a"));
    frames.startOver();
    frames.startOver(); // twice before new output: still one restart
    out.addAll(frames.chunk("b"));
    out.addAll(frames.chunk("c"));
    out.addAll(frames.message(null, null));
    out.add(frames.typingOff());
    assertEquals(List.of("typing:0", "chunk:1", "restart:2", "chunk:3", "chunk:4", "message:5",
        "typing:6"), kindsAtIndexes(out));
    assertEquals(new JsonObject().put("attempt", 2), out.get(2).data());
    assertEquals(List.of(0, 0, 1), out.stream().filter(f -> f.kind() == FrameKind.CHUNK)
        .map(f -> f.data().getInteger("index")).toList());
    assertEquals(new JsonObject().put("text", "bc"), out.get(5).data());
  }

  @Test
  void continuingAfterWrittenChunksRestartsWithTheNextWordingNumber() {
    ReplyBuilder frames = new ReplyBuilder();
    frames.continueAfter(4, 4, 1, 1, "y");
    assertEquals("y", frames.cancelled().data().getString("text"), "a cancel keeps the shown text");
    ReplyBuilder again = new ReplyBuilder();
    again.continueAfter(4, 4, 1, 1, "y");
    List<ReplyFrame> out = again.chunk("z");
    assertEquals(List.of(4, 5), out.stream().map(ReplyFrame::index).toList());
    assertEquals(new JsonObject().put("attempt", 3), out.get(0).data());
    assertEquals(new JsonObject().put("text", "z").put("index", 0), out.get(1).data());
  }

  @Test
  void continuingAfterOnlyTypingNeedsNoRestartButUnseenFramesDo() {
    ReplyBuilder frames = new ReplyBuilder();
    frames.continueAfter(1, 1, 0, 0, "");
    assertEquals(List.of(FrameKind.CHUNK), frames.chunk("a").stream().map(ReplyFrame::kind).toList());
    ReplyBuilder unseen = new ReplyBuilder();
    unseen.continueAfter(1, 3, 0, 0, ""); // the relay counted frames the read did not see
    assertEquals(List.of(FrameKind.RESTART, FrameKind.CHUNK),
        unseen.chunk("a").stream().map(ReplyFrame::kind).toList());
    assertEquals(5, unseen.nextIndex(), "restart at 3, chunk at 4");
  }

  @Test
  void theMessageCarriesWhatTheModelReported() {
    ReplyBuilder b = new ReplyBuilder();
    b.typingOn();
    b.chunk("hi");
    JsonObject usage = new JsonObject().put("total_tokens", 2);
    assertEquals(new JsonObject().put("text", "hi").put("finishReason", "stop").put("usage", usage),
        b.message("stop", usage).get(0).data());
  }

  @Test
  void theRelaysEndingsContinueAtTheNextIndex() {
    assertEquals(List.of("typing:0", "message:1", "typing:2"),
        kindsAtIndexes(ReplyShape.cancelledEnding(0)));
    assertEquals(List.of("message:3", "typing:4"), kindsAtIndexes(ReplyShape.cancelledEnding(3)));
    assertEquals(new JsonObject().put("text", "").put("cancelled", true),
        ReplyShape.cancelledEnding(3).get(0).data());
    List<ReplyFrame> unavailable = ReplyShape.workerUnavailable(1);
    assertEquals(List.of("error:1", "typing:2"), kindsAtIndexes(unavailable));
    assertEquals(new JsonObject().put("code", "worker_unavailable")
        .put("message", "no assistant worker could answer; please try again"), unavailable.get(0).data());
  }
}
