package dev.chatrelay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.reply.ReplyBuilder;
import dev.chatrelay.protocol.reply.ReplyFrame;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A later attempt continues the reply the journal holds (the builder itself: shared-protocol). */
class ContinueAfterJournalTest {

  @Test
  void continuingAfterJournaledChunksRestartsWithTheNextGenerationNumber() {
    JournaledReply journaled = JournaledReply.of("j", List.of(
        frame(1, "j:0", FrameKind.TYPING, new JsonObject().put("on", true)),
        frame(2, "j:1", FrameKind.CHUNK, new JsonObject().put("text", "x").put("index", 0)),
        frame(3, "j:2", FrameKind.RESTART, new JsonObject().put("attempt", 2)),
        frame(4, "j:3", FrameKind.CHUNK, new JsonObject().put("text", "y").put("index", 0))));
    assertEquals("y", continued(journaled, 4).cancelled().data().getString("text"),
        "a cancel keeps the shown text");
    List<ReplyFrame> out = continued(journaled, 4).chunk("z");
    assertEquals(List.of(4, 5), out.stream().map(ReplyFrame::index).toList());
    assertEquals(new JsonObject().put("attempt", 3), out.get(0).data());
    assertEquals(new JsonObject().put("text", "z").put("index", 0), out.get(1).data());
  }

  @Test
  void continuingAfterOnlyTypingNeedsNoRestartButUnseenFramesDo() {
    JournaledReply typingOnly = JournaledReply.of("j", List.of(
        frame(1, "j:0", FrameKind.TYPING, new JsonObject().put("on", true))));
    assertEquals(List.of(FrameKind.CHUNK),
        continued(typingOnly, 1).chunk("a").stream().map(ReplyFrame::kind).toList());
    ReplyBuilder unseen = continued(typingOnly, 3); // the relay counted frames the read did not see
    assertEquals(List.of(FrameKind.RESTART, FrameKind.CHUNK),
        unseen.chunk("a").stream().map(ReplyFrame::kind).toList());
    assertEquals(5, unseen.nextIndex(), "restart at 3, chunk at 4");
  }

  /** What JobRun does with a journal read. */
  private static ReplyBuilder continued(JournaledReply journaled, int fromIndex) {
    ReplyBuilder b = new ReplyBuilder();
    b.continueAfter(journaled.count(), fromIndex, journaled.restarts(),
        journaled.chunksSinceRestart(), journaled.textSinceRestart());
    return b;
  }

  private static Frame frame(long seq, String id, FrameKind kind, JsonObject data) {
    return new Frame("t", "e", seq, id, kind, 0, "j", data);
  }
}
