package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertAlive;
import static dev.chatrelay.it.Conversations.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every row of PROTOCOL.md's bad-input rules: protocol violations close with 4500, bad commands
 * answer {@code error bad_request} / {@code too_large} with the right {@code ref} and keep the
 * connection, and a message over 64 KiB closes with 4513.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolViolationIT {

  /** RELAY_MAX_FRAME_BYTES default. */
  private static final int MAX_MESSAGE = 65_536;
  /** Largest {@code send} text in UTF-8 bytes. */
  private static final int MAX_TEXT = 16_384;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private WsTestClient welcomed() {
    return system.connectAs("violations");
  }

  // ---- 4500: not a JSON object with a string type ----

  private static final List<String> NOT_A_MESSAGE = List.of(
      "hello", "{", "[1,2]", "\"hello\"", "42", "null", "{}", "{\"type\":5}",
      "{\"type\":null}", "{\"type\":{\"a\":1}}");

  @Test
  void notAJsonObjectWithAStringTypeCloses4500AfterWelcome() {
    for (String raw : NOT_A_MESSAGE) {
      try (WsTestClient client = welcomed()) {
        client.sendRaw(raw);
        assertEquals(4500, client.awaitClose(), raw);
      }
    }
  }

  @Test
  void notAJsonObjectWithAStringTypeCloses4500AsFirstMessage() {
    for (String raw : NOT_A_MESSAGE) {
      try (WsTestClient client = system.connect()) {
        client.sendRaw(raw);
        assertEquals(4500, client.awaitClose(), raw);
      }
    }
  }

  @Test
  void binaryMessageCloses4500() {
    try (WsTestClient client = welcomed()) {
      client.sendBinary(Buffer.buffer(new JsonObject().put("type", "ping").encode()));
      assertEquals(4500, client.awaitClose());
    }
    try (WsTestClient client = system.connect()) {
      client.sendBinary(Buffer.buffer(Commands.hello(system.token("violations")).encode()));
      assertEquals(4500, client.awaitClose(), "binary hello");
    }
  }

  @Test
  void firstMessageOtherThanHelloCloses4500() {
    for (JsonObject first : List.of(Commands.ping(), Commands.subscribe("t", 0),
        Commands.send("t", "i", "x"), new JsonObject().put("type", "nonsense"))) {
      try (WsTestClient client = system.connect()) {
        client.send(first);
        assertEquals(4500, client.awaitClose(), first.encode());
      }
    }
  }

  // ---- bad_request, connection stays ----

  @Test
  void secondHelloIsABadRequest() {
    try (WsTestClient client = welcomed()) {
      client.send(Commands.hello(system.token("violations")));
      assertError(client, "bad_request", null);
      assertAlive(client);
    }
  }

  @Test
  void unknownTypeIsABadRequest() {
    try (WsTestClient client = welcomed()) {
      client.send(new JsonObject().put("type", "subscribe_all").put("thread", "t"));
      assertError(client, "bad_request", null);
      assertAlive(client);
    }
  }

  /** A command and the {@code ref} its error must carry. */
  private record Bad(String what, JsonObject command, String ref) {}

  private static JsonObject without(JsonObject command, String field) {
    JsonObject copy = command.copy();
    copy.remove(field);
    return copy;
  }

  private static List<Bad> badRequests() {
    String longThread = "t".repeat(129);
    return List.of(
        // subscribe
        new Bad("subscribe without thread", without(Commands.subscribe("t", 0), "thread"), null),
        new Bad("subscribe thread not a string",
            Commands.subscribe("t", 0).put("thread", 7), null),
        new Bad("subscribe invalid thread id", Commands.subscribe("a b", 0), "a b"),
        new Bad("subscribe empty thread id", Commands.subscribe("", 0), null),
        // PROTOCOL.md Limits: ref is cut to 128 characters.
        new Bad("subscribe thread id of 129 chars", Commands.subscribe(longThread, 0), longThread.substring(0, 128)),
        new Bad("subscribe thread id with a slash", Commands.subscribe("a/b", 0), "a/b"),
        new Bad("subscribe non-ASCII thread id", Commands.subscribe("thé", 0), "thé"),
        new Bad("subscribe negative after", Commands.subscribe("t", -1), "t"),
        new Bad("subscribe after not a number", Commands.subscribe("t", 0).put("after", "1"), "t"),
        new Bad("subscribe after not an integer", Commands.subscribe("t", 0).put("after", 1.5),
            "t"),
        new Bad("subscribe epoch not a string",
            Commands.subscribe("t", 0).put("epoch", 3), "t"),
        // unsubscribe
        new Bad("unsubscribe without thread", without(Commands.unsubscribe("t"), "thread"), null),
        new Bad("unsubscribe invalid thread id", Commands.unsubscribe("a b"), "a b"),
        // send: ref is the id
        new Bad("send without id", without(Commands.send("t", "i", "x"), "id"), null),
        new Bad("send empty id", Commands.send("t", "", "x"), ""),
        new Bad("send id of 65 chars", Commands.send("t", "i".repeat(65), "x"), "i".repeat(65)),
        new Bad("send id with a control char", Commands.send("t", "a\u0001b", "x"), "a\u0001b"),
        new Bad("send id not ASCII", Commands.send("t", "idé", "x"), "idé"),
        new Bad("send id not a string", Commands.send("t", "i", "x").put("id", 5), null),
        new Bad("send without text", without(Commands.send("t", "i1", "x"), "text"), "i1"),
        new Bad("send empty text", Commands.send("t", "i2", ""), "i2"),
        new Bad("send text not a string", Commands.send("t", "i3", "x").put("text", 5), "i3"),
        new Bad("send without thread", without(Commands.send("t", "i4", "x"), "thread"), "i4"),
        new Bad("send invalid thread id", Commands.send("a b", "i5", "x"), "i5"),
        // ack
        new Bad("ack without thread", without(Commands.ack("t", 1), "thread"), null),
        new Bad("ack without seq", without(Commands.ack("t", 1), "seq"), "t"),
        new Bad("ack negative seq", Commands.ack("t", -1), "t"),
        new Bad("ack seq not a number", Commands.ack("t", 1).put("seq", "1"), "t"),
        new Bad("ack invalid thread id", Commands.ack("a b", 1), "a b"),
        // refresh
        new Bad("refresh without token", without(Commands.refresh("x"), "token"), null),
        new Bad("refresh token not a string", Commands.refresh("x").put("token", 1), null),
        // cancel: ref is the replyTo
        new Bad("cancel without replyTo", without(Commands.cancel("t", "r"), "replyTo"), null),
        new Bad("cancel without thread", without(Commands.cancel("t", "r1"), "thread"), "r1"),
        new Bad("cancel invalid thread id", Commands.cancel("a b", "r2"), "r2"),
        new Bad("cancel replyTo not a string", Commands.cancel("t", "r").put("replyTo", 1), null));
  }

  @Test
  void everyMalformedCommandIsABadRequestWithItsRef() {
    try (WsTestClient client = welcomed()) {
      for (Bad bad : badRequests()) {
        client.send(bad.command());
        JsonObject error = client.next("error");
        assertEquals("bad_request", error.getString("code"), bad.what() + ": " + error.encode());
        if (bad.ref() != null) {
          assertEquals(bad.ref(), error.getString("ref"), bad.what() + ": " + error.encode());
        }
      }
      assertAlive(client);
    }
  }

  // ---- text size ----

  @Test
  void textOver16384BytesIsTooLargeAndExactly16384IsAccepted() {
    try (WsTestClient client = welcomed()) {
      client.send(Commands.send("sizes", "big", "a".repeat(MAX_TEXT + 1)));
      assertError(client, "too_large", "big");
      // 8193 two-byte characters: under 16384 chars but 16386 bytes.
      client.send(Commands.send("sizes", "wide", "é".repeat(MAX_TEXT / 2 + 1)));
      assertError(client, "too_large", "wide");
      client.send(Commands.send("sizes", "fits", "a".repeat(MAX_TEXT)));
      assertEquals("fits", client.skipUntil("accepted", WsTestClient.WAIT).getString("id"));
      client.send(Commands.send("sizes", "fits-wide", "é".repeat(MAX_TEXT / 2)));
      assertEquals("fits-wide", client.skipUntil("accepted", WsTestClient.WAIT).getString("id"));
      assertAlive(client);
    }
  }

  // ---- 4513: the whole message over 64 KiB ----

  /** A send command padded with text to exactly {@code bytes} bytes of JSON. */
  private static String sendOfExactly(int bytes) {
    String skeleton = Commands.send("sizes", "pad", "").encode();
    String json = Commands.send("sizes", "pad", "a".repeat(bytes - skeleton.length())).encode();
    assertEquals(bytes, json.getBytes(StandardCharsets.UTF_8).length);
    return json;
  }

  @Test
  void messageOfExactly64KiBIsReadAndOneByteMoreCloses4513() {
    try (WsTestClient client = welcomed()) {
      client.sendRaw(sendOfExactly(MAX_MESSAGE));
      assertError(client, "too_large", "pad");
      client.sendRaw(sendOfExactly(MAX_MESSAGE + 1));
      assertEquals(4513, client.awaitClose());
    }
  }

  @Test
  void sizeIsMeasuredOnTheReassembledMessage() {
    try (WsTestClient client = welcomed()) {
      client.sendFragmented(sendOfExactly(MAX_MESSAGE + 20_000), 16_000);
      assertEquals(4513, client.awaitClose(), "fragments of 16000 bytes, 85536 in all");
    }
  }

  @Test
  void oversizedFirstMessageCloses4513() {
    try (WsTestClient client = system.connect()) {
      client.sendRaw(Commands.hello("x".repeat(MAX_MESSAGE)).encode());
      assertEquals(4513, client.awaitClose());
    }
  }
}
