package dev.chatrelay.loadgen.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MessageParserTest {

  @Test
  void parsesAFrameAndSkipsUnknownFields() throws IOException {
    ServerMessage m = new ServerMessage();
    MessageParser.parse("{\"type\":\"frame\",\"x\":{\"deep\":[1,{\"a\":2}]},\"thread\":\"t\",\"epoch\":\"e\","
        + "\"seq\":7,\"id\":\"a:1\",\"kind\":\"chunk\",\"ts\":123,\"replyTo\":\"a\","
        + "\"data\":{\"text\":\"h\\u00e9\",\"index\":0,\"extra\":[true]}}", m);
    assertTrue(m.isFrame());
    assertEquals("t", m.thread);
    assertEquals(7, m.seq);
    assertEquals("chunk", m.kind);
    assertEquals(123, m.ts);
    assertEquals("a", m.replyTo);
    assertEquals("hé", m.text);
    assertEquals(0, m.index);
    assertNull(m.on);
  }

  @Test
  void reusedMessageIsClearedBetweenParses() throws IOException {
    ServerMessage m = new ServerMessage();
    MessageParser.parse("{\"type\":\"frame\",\"seq\":1,\"data\":{\"on\":true,\"cancelled\":true}}", m);
    assertTrue(m.on);
    MessageParser.parse("{\"type\":\"error\",\"code\":\"bad_request\",\"ref\":\"t\"}", m);
    assertNull(m.on);
    assertFalse(m.cancelled);
    assertEquals(-1, m.seq);
    assertEquals("bad_request", m.code);
  }

  @Test
  void nonObjectIsRefused() {
    assertThrows(IOException.class, () -> MessageParser.parse("[1]", new ServerMessage()));
  }

  @Test
  void clientMessagesAreValidJson() {
    String hello = ClientMessages.hello("tok\"en", java.util.List.of(new ClientMessages.Resume("t", "e", 5)));
    io.vertx.core.json.JsonObject j = new io.vertx.core.json.JsonObject(hello);
    assertEquals("tok\"en", j.getString("token"));
    assertEquals(5, j.getJsonArray("resume").getJsonObject(0).getLong("after"));
    assertEquals(3, new io.vertx.core.json.JsonObject(ClientMessages.ack("t", 3)).getLong("seq"));
    assertFalse(new io.vertx.core.json.JsonObject(ClientMessages.subscribe("t", null, 0)).containsKey("epoch"));
  }
}
