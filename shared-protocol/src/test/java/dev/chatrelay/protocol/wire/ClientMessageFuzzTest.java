package dev.chatrelay.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.wire.DecodeResult.Command;
import dev.chatrelay.protocol.wire.DecodeResult.Rejected;
import dev.chatrelay.protocol.wire.DecodeResult.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Property-based fuzzing of the client message decoder (jqwik; a failing case prints its seed
 * and shrinks to the smallest input). Whatever a client sends, the decoder answers one of the
 * three outcomes of PROTOCOL.md "Bad input" and never throws; the error answer built from it
 * is small whatever the input's size.
 */
class ClientMessageFuzzTest {

  private static final String[] TYPES = {"hello", "subscribe", "unsubscribe", "send", "ack",
      "refresh", "cancel", "ping", "pong", "nope", ""};
  private static final String[] FIELDS = {"thread", "id", "text", "seq", "after", "epoch",
      "replyTo", "token", "resume", "type"};

  @Property(tries = 2_000)
  void arbitraryTextNeverThrows(@ForAll @StringLength(max = 300) String text) {
    DecodeResult r = ClientMessageDecoder.decode(text);
    assertTrue(r instanceof Command || r instanceof Rejected || r instanceof Violation, String.valueOf(r));
  }

  @Property(tries = 2_000)
  void objectsWithAStringTypeAreNeverAViolation(@ForAll("messages") JsonObject message) {
    DecodeResult r = ClientMessageDecoder.decode(message.encode());
    assertTrue(!(r instanceof Violation), "a JSON object with a string type stays open: " + message.encode());
    if (r instanceof Rejected rejected) {
      String answer = ServerMessages.error(rejected.code(), rejected.message(), rejected.ref());
      assertTrue(answer.length() < 600, "answer of " + answer.length() + " chars to " + message.encode().length());
      assertTrue(rejected.code() == ErrorCode.BAD_REQUEST || rejected.code() == ErrorCode.TOO_LARGE,
          rejected.code().wire());
    }
  }

  @Property(tries = 300)
  void nestingAnyDepthIsAnswerNotACrash(@ForAll("depths") int depth) {
    String nested = "{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "0" + "]".repeat(depth) + "}";
    DecodeResult r = ClientMessageDecoder.decode(nested);
    // Jackson refuses documents nested over 1000 levels: not a JSON object, close 4500.
    if (depth <= 990) {
      assertEquals(new Command(new ClientMessage.Ping()), r);
    } else if (depth >= 1_010) {
      assertTrue(r instanceof Violation, String.valueOf(r));
    }
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(0, 30_000);
  }

  @Provide
  Arbitrary<JsonObject> messages() {
    Arbitrary<String> type = Arbitraries.of(TYPES);
    Arbitrary<String> field = Arbitraries.of(FIELDS);
    Arbitrary<Object> value = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200).map(s -> (Object) s),
        Arbitraries.strings().withChars("abc.:-_ ").ofMinLength(100).ofMaxLength(20_000).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(new JsonArray().add(new JsonObject().put("thread", 1))),
        Arbitraries.just(new JsonObject().put("a", new JsonArray())));
    Arbitrary<JsonObject> fields = Combinators.combine(field, value).as((f, v) -> new JsonObject().put(f, v))
        .list().ofMaxSize(6).map(list -> {
          JsonObject merged = new JsonObject();
          list.forEach(merged::mergeIn);
          return merged;
        });
    return Combinators.combine(type, fields).as((t, f) -> f.copy().put("type", t));
  }
}
