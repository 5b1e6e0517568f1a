package dev.chatrelay.protocol.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JS checkers' reply shape, k6/lib/reply-shape.js, stays this package's. The JDK runs no JS,
 * so the two meet in the middle: this test reads the JS file's constants as text, and both
 * {@link ReplyCheck} (here) and the JS {@code ReplyShapeCheck} (k6/shim/test/reply-shape.test.mjs)
 * must give exactly the verdicts of the shared cases in reply-shape-cases.json.
 */
class ReplyShapeJsDriftTest {

  private static final Path JS = Path.of("..", "k6", "lib", "reply-shape.js");
  private static final String CASES = "/reply-shape-cases.json";
  /** A step of a case that is no frame: a compacted run passed. */
  private static final String COMPACTED = "compacted";

  @Test
  void theJsOrderIsReplyShapeOrder() throws IOException {
    List<String> order = ReplyShape.ORDER.stream().map(FrameKind::wire).toList();
    assertEquals(order, jsStringArray("REPLY_ORDER"), JS + " REPLY_ORDER differs from ReplyShape.ORDER");
  }

  @Test
  void theJsKindsAreFrameKinds() throws IOException {
    List<String> kinds = Arrays.stream(FrameKind.values()).map(FrameKind::wire).sorted().toList();
    assertEquals(kinds, jsStringArray("FRAME_KINDS").stream().sorted().toList(),
        JS + " FRAME_KINDS differs from FrameKind");
  }

  @Test
  void replyCheckGivesTheVerdictsOfTheSharedCases() throws IOException {
    for (Object c : cases()) {
      JsonObject aCase = (JsonObject) c;
      ReplyCheck check = new ReplyCheck();
      List<String> verdicts = new ArrayList<>();
      for (Object step : aCase.getJsonArray("steps")) {
        if (COMPACTED.equals(step)) {
          check.compacted();
          verdicts.add(null);
        } else {
          verdicts.add(check.accept((JsonObject) step));
        }
      }
      String name = aCase.getString("name");
      assertEquals(aCase.getJsonArray("verdicts").getList(), verdicts, name);
      assertEquals(aCase.getBoolean("done"), check.done(), name + ": done");
    }
  }

  @Test
  void theSharedCasesUseEveryKindAndACompactedRun() throws IOException {
    Set<FrameKind> used = EnumSet.noneOf(FrameKind.class);
    boolean compacted = false;
    for (Object c : cases()) {
      for (Object step : ((JsonObject) c).getJsonArray("steps")) {
        if (step instanceof JsonObject frame) {
          Arrays.stream(FrameKind.values()).filter(k -> k.wire().equals(frame.getString("kind")))
              .forEach(used::add);
        } else {
          compacted |= COMPACTED.equals(step);
        }
      }
    }
    assertEquals(EnumSet.allOf(FrameKind.class), used);
    assertTrue(compacted, "no case has a compacted run");
  }

  private static JsonArray cases() throws IOException {
    try (InputStream in = ReplyShapeJsDriftTest.class.getResourceAsStream(CASES)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("cases");
    }
  }

  /** The quoted strings of {@code export const <name> = [...]} in the JS file. */
  private static List<String> jsStringArray(String name) throws IOException {
    String js = Files.readString(JS);
    Matcher m = Pattern.compile("export const " + name + " = \\[([^\\]]*)\\];").matcher(js);
    assertTrue(m.find(), JS + " no longer declares " + name + " as an array literal");
    List<String> out = new ArrayList<>();
    Matcher quoted = Pattern.compile("'([^']*)'").matcher(m.group(1));
    while (quoted.find()) {
      out.add(quoted.group(1));
    }
    return out;
  }
}
