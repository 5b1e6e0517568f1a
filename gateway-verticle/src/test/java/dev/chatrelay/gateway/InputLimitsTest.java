package dev.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input after hello: errors that keep the connection, and the closes 4500 and 4513. */
@ExtendWith(VertxExtension.class)
class InputLimitsTest {

  private static final int MAX = 1024;
  private GatewayHarness gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.MAX_FRAME_BYTES, Integer.toString(MAX)));
  }

  @AfterEach
  void close() {
    gw.close();
  }

  /** {message, error code, ref}: one row per bad-input rule of PROTOCOL.md. */
  private static final List<String[]> BAD_COMMANDS = List.of(
      new String[] {"{\"type\":\"nope\",\"thread\":\"t\"}", "bad_request", "t"},
      new String[] {"{\"type\":\"subscribe\"}", "bad_request", null},
      new String[] {"{\"type\":\"subscribe\",\"thread\":5}", "bad_request", null},
      new String[] {"{\"type\":\"subscribe\",\"thread\":\"a b\"}", "bad_request", "a b"},
      new String[] {"{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":-1}", "bad_request", "t"},
      new String[] {"{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":1.5}", "bad_request", "t"},
      new String[] {"{\"type\":\"ack\",\"thread\":\"t\",\"seq\":-2}", "bad_request", "t"},
      new String[] {"{\"type\":\"ack\",\"thread\":\"t\"}", "bad_request", "t"},
      new String[] {"{\"type\":\"unsubscribe\",\"thread\":\"\"}", "bad_request", ""},
      new String[] {"{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m1\",\"text\":\"\"}", "bad_request", "m1"},
      new String[] {"{\"type\":\"send\",\"thread\":\"t\",\"id\":\"m\\u0001\",\"text\":\"x\"}", "bad_request", "m\u0001"},
      new String[] {"{\"type\":\"send\",\"thread\":\"t\",\"text\":\"x\"}", "bad_request", null},
      new String[] {"{\"type\":\"cancel\",\"thread\":\"t\",\"replyTo\":7}", "bad_request", null},
      new String[] {"{\"type\":\"cancel\",\"thread\":\"t\"}", "bad_request", null},
      new String[] {"{\"type\":\"refresh\"}", "bad_request", null});

  @Test
  void everyBadCommandAnswersAnErrorAndTheConnectionStays() {
    WsClient c = gw.open("alice");
    for (String[] row : BAD_COMMANDS) {
      c.sendText(row[0]);
      JsonObject error = c.next("error");
      assertEquals(row[1], error.getString("code"), row[0]);
      assertEquals(row[2], error.getString("ref"), row[0]);
    }
    c.expectQuiet();
  }

  @Test
  void textOver16384BytesAnswersTooLarge() {
    GatewayHarness big = new GatewayHarness(gw.vertx, Map.of());
    WsClient c = big.open("alice");
    c.send(new JsonObject().put("type", "send").put("thread", "t").put("id", "m9").put("text", "\u00e9".repeat(8193)));
    JsonObject error = c.next("error");
    assertEquals("too_large", error.getString("code"));
    assertEquals("m9", error.getString("ref"));
    c.expectQuiet();
    big.close();
  }

  @Test
  void notAnObjectOrNoStringTypeCloses4500() {
    for (String text : List.of("[1,2]", "{\"type\":7}", "{}", "\"hi\"", "{broken")) {
      WsClient c = gw.open("alice");
      c.sendText(text);
      assertEquals(4500, c.awaitClose(), text);
    }
  }

  @Test
  void binaryMessageCloses4500() {
    WsClient c = gw.open("alice");
    c.ws.writeBinaryMessage(Buffer.buffer("{\"type\":\"ping\"}"));
    assertEquals(4500, c.awaitClose());
  }

  @Test
  void binaryBeforeHelloCloses4500Too() {
    WsClient c = gw.connect();
    c.ws.writeBinaryMessage(Buffer.buffer("x"));
    assertEquals(4500, c.awaitClose());
  }

  @Test
  void messageAtTheLimitPassesAndOneByteMoreCloses4513() {
    WsClient c = gw.open("alice");
    c.sendText(pingOfSize(MAX));
    c.next("pong");
    c.sendText(pingOfSize(MAX + 1));
    assertEquals(4513, c.awaitClose());
  }

  @Test
  void limitCountsTheReassembledMessageNotItsFragments() {
    WsClient ok = gw.open("alice");
    String fits = pingOfSize(MAX);
    ok.ws.writeFrame(WebSocketFrame.textFrame(fits.substring(0, 500), false));
    ok.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(fits.substring(500)), true));
    ok.next("pong");

    WsClient c = gw.open("bob");
    String text = pingOfSize(3 * MAX);
    c.ws.writeFrame(WebSocketFrame.textFrame(text.substring(0, 600), false));
    c.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(text.substring(600, 1200)), false));
    assertEquals(4513, c.awaitClose());
  }

  @Test
  void fragmentedBinaryCloses4500() {
    WsClient c = gw.open("alice");
    c.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer("ab"), false));
    c.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("cd"), true));
    assertEquals(4500, c.awaitClose());
  }

  /** A valid ping padded with an unknown field to exactly {@code bytes} bytes. */
  private static String pingOfSize(int bytes) {
    String head = "{\"type\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }
}
