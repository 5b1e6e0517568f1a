package dev.chatrelay.protocol.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyCheckTest {

  private static JsonObject wire(ReplyFrame f) {
    return new JsonObject().put("kind", f.kind().wire()).put("data", f.data());
  }

  private static List<JsonObject> wire(List<ReplyFrame> frames) {
    return frames.stream().map(ReplyCheckTest::wire).toList();
  }

  private static JsonObject frame(String kind, JsonObject data) {
    return new JsonObject().put("kind", kind).put("data", data);
  }

  private static JsonObject typing(boolean on) {
    return frame("typing", new JsonObject().put("on", on));
  }

  private static JsonObject chunk(int index, String text) {
    return frame("chunk", new JsonObject().put("text", text).put("index", index));
  }

  private static JsonObject message(String text) {
    return frame("message", new JsonObject().put("text", text));
  }

  private static JsonObject restart(int attempt) {
    return frame("restart", new JsonObject().put("attempt", attempt));
  }

  private static JsonObject error() {
    return frame("error", new JsonObject().put("code", "engine_error").put("message", "x"));
  }

  private static String firstViolation(JsonObject... frames) {
    List<String> wrong = ReplyCheck.violations(List.of(frames));
    assertTrue(!wrong.isEmpty(), "expected a violation");
    return wrong.get(0);
  }

  @Test
  void everyShapeAProducerWritesPasses() {
    assertEquals(List.of(), ReplyCheck.violations(wire(ReplyShape.completed(List.of("ec", "ho")))));
    assertEquals(List.of(), ReplyCheck.violations(wire(ReplyShape.completed(List.of()))));
    assertEquals(List.of(), ReplyCheck.violations(wire(ReplyShape.cancelledEnding(0))));
    assertEquals(List.of(), ReplyCheck.violations(wire(ReplyShape.workerUnavailable(0))));
    ReplyBuilder b = new ReplyBuilder();
    List<ReplyFrame> restarted = new ArrayList<>();
    restarted.add(b.typingOn());
    restarted.addAll(b.chunk("Reply#1 "));
    b.startOver();
    restarted.addAll(b.chunk("Reply#2 "));
    restarted.addAll(b.chunk("done"));
    b.startOver();
    restarted.addAll(b.chunk("Reply#3"));
    restarted.addAll(b.message("stop", new JsonObject().put("total_tokens", 3)));
    restarted.add(b.typingOff());
    assertEquals(List.of(), ReplyCheck.violations(wire(restarted)));
    ReplyBuilder cancelled = new ReplyBuilder();
    List<ReplyFrame> midway = new ArrayList<>(List.of(cancelled.typingOn()));
    midway.addAll(cancelled.chunk("part"));
    midway.add(cancelled.cancelled());
    midway.add(cancelled.typingOff());
    assertEquals(List.of(), ReplyCheck.violations(wire(midway)));
    assertEquals("part", midway.get(2).data().getString("text"));
  }

  @Test
  void anErrorAfterSomeChunksEndsTheReply() {
    assertEquals(List.of(), ReplyCheck.violations(List.of(typing(true), chunk(0, "a"), error(),
        typing(false))));
  }

  @Test
  void eachKindOfWrongOrderIsNamed() {
    assertTrue(firstViolation(chunk(0, "a")).startsWith("chunk in phase NONE"));
    assertTrue(firstViolation(typing(true), typing(true)).startsWith("typing on in phase STARTED"));
    assertTrue(firstViolation(typing(true), typing(false)).startsWith("typing off in phase STARTED"));
    assertTrue(firstViolation(typing(true), message(""), message(""))
        .startsWith("message in phase ENDED"));
    assertTrue(firstViolation(typing(true), message(""), chunk(0, "a"))
        .startsWith("chunk in phase ENDED"));
    assertTrue(firstViolation(typing(true), error(), error()).startsWith("error in phase ENDED"));
    assertTrue(firstViolation(typing(true), message(""), typing(false), chunk(0, "a"))
        .startsWith("chunk in phase DONE"));
    assertTrue(firstViolation(typing(true), message(""))
        .startsWith("the reply did not end with typing off (phase ENDED)"));
  }

  @Test
  void chunkIndexesCountFromZeroWithoutGaps() {
    assertTrue(firstViolation(typing(true), chunk(1, "a")).startsWith("chunk index 1, expected 0"));
    assertTrue(firstViolation(typing(true), chunk(0, "a"), chunk(0, "a"))
        .startsWith("chunk index 0, expected 1"));
    assertTrue(firstViolation(typing(true), chunk(0, "a"), restart(2), chunk(1, "b"))
        .startsWith("chunk index 1, expected 0"), "a restart counts from 0 again");
  }

  @Test
  void theMessageIsTheChunksAfterTheLastRestart() {
    assertTrue(firstViolation(typing(true), chunk(0, "a"), message("ab"), typing(false))
        .startsWith("message text differs from its chunks"));
    assertTrue(firstViolation(typing(true), chunk(0, "a"), restart(2), chunk(0, "b"),
        message("ab"), typing(false)).startsWith("message text differs from its chunks"));
    assertEquals(List.of(), ReplyCheck.violations(List.of(typing(true), chunk(0, "a"),
        frame("message", new JsonObject().put("text", "ab").put("cancelled", true)), typing(false))),
        "a cancelled message may say anything");
  }

  @Test
  void restartsNumberTheWordingsFromTwo() {
    assertTrue(firstViolation(typing(true), chunk(0, "a"), restart(1))
        .startsWith("restart attempt 1 after wording 1"));
    assertTrue(firstViolation(typing(true), chunk(0, "a"), restart(2), chunk(0, "b"), restart(2))
        .startsWith("restart attempt 2 after wording 2"));
    assertTrue(firstViolation(restart(2)).startsWith("restart in phase NONE"));
  }

  @Test
  void missingFieldsAndStrangeKindsAreNamed() {
    assertTrue(firstViolation(frame("typing", new JsonObject())).startsWith("typing without data.on"));
    assertTrue(firstViolation(typing(true), frame("chunk", new JsonObject().put("index", 0)))
        .startsWith("chunk without data.text"));
    assertTrue(firstViolation(typing(true), frame("chunk", new JsonObject().put("text", "a")))
        .startsWith("chunk without data.index"));
    assertTrue(firstViolation(typing(true), frame("message", new JsonObject()))
        .startsWith("message without data.text"));
    assertTrue(firstViolation(typing(true), frame("error", new JsonObject()))
        .startsWith("error frame without data.code"));
    assertTrue(firstViolation(typing(true), frame("user_message", new JsonObject()))
        .startsWith("user_message inside a reply"));
    assertTrue(firstViolation(frame("sparkle", new JsonObject())).startsWith("unknown frame kind 'sparkle'"));
  }

  @Test
  void afterACompactedRunTheReplyIsCheckedFromWhatRemains() {
    ReplyCheck check = new ReplyCheck();
    assertNull(check.accept(typing(true)));
    assertNull(check.accept(chunk(0, "ab")));
    check.compacted();
    assertNull(check.accept(chunk(3, "yz")), "the chunks between were dropped");
    assertNull(check.accept(message("ab-cd-yz")));
    assertNull(check.accept(typing(false)));

    ReplyCheck fromTheMiddle = new ReplyCheck();
    fromTheMiddle.compacted();
    assertNull(fromTheMiddle.accept(chunk(2, "z")), "typing on and two chunks were dropped");
    assertEquals("message text does not fit the chunks seen around a compacted run",
        fromTheMiddle.accept(message("xy")));
    assertNull(fromTheMiddle.accept(message("xyz")));

    ReplyCheck restarted = new ReplyCheck();
    restarted.compacted();
    assertNull(restarted.accept(restart(3)), "the first restart was dropped");
    assertNull(restarted.accept(chunk(0, "a")));

    ReplyCheck backwards = new ReplyCheck();
    backwards.typing(true);
    backwards.chunk(0, "a");
    backwards.chunk(1, "b");
    backwards.compacted();
    assertEquals("chunk index 0, expected 2", backwards.chunk(0, "a"));
  }

  @Test
  void aCompletedReplyHasTheKindsOfOrder() {
    List<FrameKind> kinds = new ArrayList<>();
    for (ReplyFrame f : ReplyShape.completed(List.of("a", "b", "c"))) {
      if (kinds.isEmpty() || kinds.get(kinds.size() - 1) != f.kind() || f.kind() != FrameKind.CHUNK) {
        kinds.add(f.kind()); // consecutive chunks count once
      }
    }
    assertEquals(ReplyShape.ORDER, kinds);
  }
}
