package dev.chatrelay.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.wire.ClientMessage.Ack;
import dev.chatrelay.protocol.wire.ClientMessage.Cancel;
import dev.chatrelay.protocol.wire.ClientMessage.Hello;
import dev.chatrelay.protocol.wire.ClientMessage.InvalidResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.Ping;
import dev.chatrelay.protocol.wire.ClientMessage.Pong;
import dev.chatrelay.protocol.wire.ClientMessage.Refresh;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.Send;
import dev.chatrelay.protocol.wire.ClientMessage.Subscribe;
import dev.chatrelay.protocol.wire.ClientMessage.Unsubscribe;
import dev.chatrelay.protocol.wire.DecodeResult.Command;
import dev.chatrelay.protocol.wire.DecodeResult.Rejected;
import dev.chatrelay.protocol.wire.DecodeResult.Violation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every "Bad input" row of PROTOCOL.md, plus the good inputs. */
class ClientMessageDecoderTest {

  private static final String LONG_TEXT = "x".repeat(FieldRules.MAX_TEXT_BYTES + 1);
  /** 4096 four-byte characters = exactly 16384 bytes: allowed. */
  private static final String MAX_EMOJI = "\uD83D\uDE00".repeat(FieldRules.MAX_TEXT_BYTES / 4);
  /** 5462 three-byte characters = 16386 bytes, though only 5462 chars: too large. */
  private static final String LONG_CJK = "\u4E2D".repeat(5462);

  static Stream<Arguments> goodInputs() {
    return Stream.of(
        Arguments.of("{\"type\":\"hello\"}", new Hello(null, List.of())),
        Arguments.of("{\"type\":\"hello\",\"token\":\"t\",\"resume\":[]}", new Hello("t", List.of())),
        Arguments.of("{\"type\":\"hello\",\"token\":null,\"resume\":null}", new Hello(null, List.of())),
        Arguments.of("{\"type\":\"hello\",\"resume\":[{\"thread\":\"a\",\"epoch\":\"e\",\"after\":3},{\"thread\":\"b\",\"after\":0}]}",
            new Hello(null, List.of(new ResumeEntry("a", "e", 3), new ResumeEntry("b", null, 0)))),
        Arguments.of("{\"type\":\"subscribe\",\"thread\":\"t-1\"}", new Subscribe("t-1", null, null)),
        Arguments.of("{\"type\":\"subscribe\",\"thread\":\"A.b_c:d-9\",\"epoch\":\"ep\",\"after\":0}",
            new Subscribe("A.b_c:d-9", "ep", 0L)),
        Arguments.of("{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":1e3}", new Subscribe("t", null, 1000L)),
        Arguments.of("{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":9223372036854775807}",
            new Subscribe("t", null, Long.MAX_VALUE)),
        Arguments.of("{\"type\":\"subscribe\",\"thread\":\"" + "t".repeat(128) + "\"}",
            new Subscribe("t".repeat(128), null, null)),
        Arguments.of("{\"type\":\"unsubscribe\",\"thread\":\"t\"}", new Unsubscribe("t")),
        Arguments.of("{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\",\"text\":\"hi\"}", new Send("t", "m1", "hi")),
        Arguments.of("{\"type\":\"send\",\"thread\":\"t\",\"id\":\" ~!\",\"text\":\"" + MAX_EMOJI + "\"}",
            new Send("t", " ~!", MAX_EMOJI)),
        Arguments.of("{\"type\":\"send\",\"thread\":\"t\",\"id\":\"" + "i".repeat(64) + "\",\"text\":\"x\"}",
            new Send("t", "i".repeat(64), "x")),
        Arguments.of("{\"type\":\"ack\",\"thread\":\"t\",\"seq\":0}", new Ack("t", 0)),
        Arguments.of("{\"type\":\"ack\",\"thread\":\"t\",\"seq\":42}", new Ack("t", 42)),
        Arguments.of("{\"type\":\"refresh\",\"token\":\"abc\"}", new Refresh("abc")),
        Arguments.of("{\"type\":\"cancel\",\"thread\":\"t\",\"replyTo\":\"m1\"}", new Cancel("t", "m1")),
        Arguments.of("{\"type\":\"ping\"}", new Ping()),
        Arguments.of("{\"type\":\"pong\",\"extra\":[1,2,{}]}", new Pong()),
        Arguments.of("{\"extra\":true,\"type\":\"ping\",\"more\":null}", new Ping()));
  }

  @ParameterizedTest
  @MethodSource("goodInputs")
  void decodesValidCommands(String text, ClientMessage expected) {
    assertEquals(new Command(expected), ClientMessageDecoder.decode(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "nope", "{", "{\"type\":\"ping\"", "[]", "[{\"type\":\"ping\"}]", "\"ping\"", "42",
      "null", "true", "{}", "{\"type\":null}", "{\"type\":1}", "{\"type\":true}", "{\"type\":[\"ping\"]}",
      "{\"type\":{\"a\":1}}", "{\"Type\":\"ping\"}"})
  void notAnObjectWithStringTypeIsAViolation(String text) {
    assertInstanceOf(Violation.class, ClientMessageDecoder.decode(text));
  }

  /** type, error code, ref, JSON. */
  static Stream<Arguments> rejectedInputs() {
    String bad = "bad_request";
    return Stream.of(
        // unknown type
        Arguments.of("nope", bad, null, "{\"type\":\"nope\"}"),
        Arguments.of("PING", bad, null, "{\"type\":\"PING\"}"),
        Arguments.of("frame", bad, "t", "{\"type\":\"frame\",\"thread\":\"t\"}"),
        // missing fields
        Arguments.of("subscribe", bad, null, "{\"type\":\"subscribe\"}"),
        Arguments.of("unsubscribe", bad, null, "{\"type\":\"unsubscribe\",\"thread\":null}"),
        Arguments.of("send", bad, "m1", "{\"type\":\"send\",\"id\":\"m1\",\"text\":\"x\"}"),
        Arguments.of("send", bad, null, "{\"type\":\"send\",\"thread\":\"t\",\"text\":\"x\"}"),
        Arguments.of("send", bad, "m1", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\"}"),
        Arguments.of("ack", bad, "t", "{\"type\":\"ack\",\"thread\":\"t\"}"),
        Arguments.of("ack", bad, null, "{\"type\":\"ack\",\"seq\":1}"),
        Arguments.of("refresh", bad, null, "{\"type\":\"refresh\"}"),
        Arguments.of("cancel", bad, null, "{\"type\":\"cancel\",\"thread\":\"t\"}"),
        Arguments.of("cancel", bad, "m1", "{\"type\":\"cancel\",\"replyTo\":\"m1\"}"),
        // ill-typed fields
        Arguments.of("subscribe", bad, null, "{\"type\":\"subscribe\",\"thread\":7}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":\"3\"}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":1.5}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":1e30}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":9223372036854775808}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":true}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"epoch\":5}"),
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"epoch\":\"\"}"),
        Arguments.of("ack", bad, "t", "{\"type\":\"ack\",\"thread\":\"t\",\"seq\":\"1\"}"),
        Arguments.of("ack", bad, "t", "{\"type\":\"ack\",\"thread\":\"t\",\"seq\":2.5}"),
        Arguments.of("send", bad, "m1", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\",\"text\":5}"),
        Arguments.of("send", bad, null, "{\"type\":\"send\",\"thread\":\"t\",\"id\":5,\"text\":\"x\"}"),
        Arguments.of("refresh", bad, null, "{\"type\":\"refresh\",\"token\":5}"),
        Arguments.of("hello", bad, null, "{\"type\":\"hello\",\"token\":5}"),
        Arguments.of("hello", bad, null, "{\"type\":\"hello\",\"resume\":{\"thread\":\"t\"}}"),
        Arguments.of("cancel", bad, null, "{\"type\":\"cancel\",\"thread\":\"t\",\"replyTo\":[]}"),
        // invalid thread ids
        Arguments.of("subscribe", bad, "", "{\"type\":\"subscribe\",\"thread\":\"\"}"),
        Arguments.of("subscribe", bad, "a b", "{\"type\":\"subscribe\",\"thread\":\"a b\"}"),
        Arguments.of("subscribe", bad, "a/b", "{\"type\":\"subscribe\",\"thread\":\"a/b\"}"),
        Arguments.of("subscribe", bad, "é", "{\"type\":\"subscribe\",\"thread\":\"é\"}"),
        Arguments.of("subscribe", bad, "t".repeat(129), "{\"type\":\"subscribe\",\"thread\":\"" + "t".repeat(129) + "\"}"),
        Arguments.of("send", bad, "m1", "{\"type\":\"send\",\"thread\":\"a b\",\"id\":\"m1\",\"text\":\"x\"}"),
        Arguments.of("ack", bad, "a\u0000b", "{\"type\":\"ack\",\"thread\":\"a\\u0000b\",\"seq\":1}"),
        // negative after / seq
        Arguments.of("subscribe", bad, "t", "{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":-1}"),
        Arguments.of("ack", bad, "t", "{\"type\":\"ack\",\"thread\":\"t\",\"seq\":-5}"),
        // empty text, too large text
        Arguments.of("send", bad, "m1", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\",\"text\":\"\"}"),
        Arguments.of("send", "too_large", "m1", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\",\"text\":\"" + LONG_TEXT + "\"}"),
        Arguments.of("send", "too_large", "m1", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\",\"text\":\"" + LONG_CJK + "\"}"),
        // client ids: 1-64 printable ASCII
        Arguments.of("send", bad, "", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"\",\"text\":\"x\"}"),
        Arguments.of("send", bad, "i".repeat(65), "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"" + "i".repeat(65) + "\",\"text\":\"x\"}"),
        Arguments.of("send", bad, "a\tb", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"a\\tb\",\"text\":\"x\"}"),
        Arguments.of("send", bad, "a\u007fb", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"a\\u007fb\",\"text\":\"x\"}"),
        Arguments.of("send", bad, "é", "{\"type\":\"send\",\"thread\":\"t\",\"id\":\"é\",\"text\":\"x\"}"),
        Arguments.of("cancel", bad, "", "{\"type\":\"cancel\",\"thread\":\"t\",\"replyTo\":\"\"}"));
  }

  @ParameterizedTest
  @MethodSource("rejectedInputs")
  void rejectsBadCommandsWithCodeAndRef(String type, String code, String ref, String text) {
    Rejected rejected = assertInstanceOf(Rejected.class, ClientMessageDecoder.decode(text));
    assertEquals(type, rejected.type());
    assertEquals(code, rejected.code().wire());
    assertEquals(ref, rejected.ref());
  }

  @Test
  void malformedResumeEntriesStayInPlaceWithTheirThreadAsRef() {
    String text = "{\"type\":\"hello\",\"token\":\"tok\",\"resume\":["
        + "{\"thread\":\"ok1\",\"after\":1},"
        + "{\"thread\":\"bad thread\",\"after\":1},"
        + "{\"thread\":\"neg\",\"after\":-1},"
        + "{\"thread\":\"noafter\"},"
        + "{\"thread\":\"ep\",\"epoch\":\"\",\"after\":0},"
        + "\"not-an-object\","
        + "{\"after\":2},"
        + "{\"thread\":\"ok2\",\"epoch\":\"e2\",\"after\":0}]}";
    Hello hello = (Hello) assertInstanceOf(Command.class, ClientMessageDecoder.decode(text)).message();
    assertEquals("tok", hello.token());
    assertEquals(8, hello.resume().size());
    assertEquals(new ResumeEntry("ok1", null, 1), hello.resume().get(0));
    assertEquals("bad thread", ((InvalidResumeEntry) hello.resume().get(1)).ref());
    assertEquals("neg", ((InvalidResumeEntry) hello.resume().get(2)).ref());
    assertEquals("noafter", ((InvalidResumeEntry) hello.resume().get(3)).ref());
    assertEquals("ep", ((InvalidResumeEntry) hello.resume().get(4)).ref());
    assertNull(((InvalidResumeEntry) hello.resume().get(5)).ref());
    assertNull(((InvalidResumeEntry) hello.resume().get(6)).ref());
    assertEquals(new ResumeEntry("ok2", "e2", 0), hello.resume().get(7));
  }

  @Test
  void errorMessagesNameTheField() {
    Rejected r = (Rejected) ClientMessageDecoder.decode("{\"type\":\"ack\",\"thread\":\"t\",\"seq\":-1}");
    assertEquals(ErrorCode.BAD_REQUEST, r.code());
    assertEquals("seq must be an integer >= 0", r.message());
  }

  @Test
  void refIsTheSendIdTheCancelReplyToOtherwiseTheThread() {
    assertEquals("m1", new Send("t", "m1", "x").ref());
    assertEquals("m2", new Cancel("t", "m2").ref());
    assertEquals("t", new Subscribe("t", null, null).ref());
    assertEquals("t", new Unsubscribe("t").ref());
    assertEquals("t", new Ack("t", 1).ref());
    assertNull(new Hello(null, List.of()).ref());
    assertNull(new Refresh("x").ref());
    assertNull(new Ping().ref());
  }

  @Test
  void rateLimitCountsEveryMessageButAValidAckOrPong() {
    assertEquals(false, ClientMessage.countsTowardRateLimit(new Ack("t", 1)));
    assertEquals(false, ClientMessage.countsTowardRateLimit(new ClientMessage.Pong()));
    for (ClientMessage m : List.of(new Ping(), new Hello(null, List.of()), new Subscribe("t", null, null),
        new Unsubscribe("t"), new Send("t", "i", "x"), new Refresh("x"), new Cancel("t", "i"))) {
      assertEquals(true, ClientMessage.countsTowardRateLimit(m), m.type());
    }
  }
}
