package dev.chatrelay.loadgen.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineIoTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String payload(String packet) {
    byte[] p = EngineIo.eventPayload(utf8(packet));
    return p == null ? null : new String(p, StandardCharsets.UTF_8);
  }

  @Test
  void packetKindsFollowTheEngineIoAndSocketIoTypeDigits() {
    assertEquals(EngineIo.Kind.OPEN, EngineIo.kind(utf8("0{\"sid\":\"a\",\"pingInterval\":25000}")));
    assertEquals(EngineIo.Kind.PING, EngineIo.kind(utf8("2")));
    assertEquals(EngineIo.Kind.CONNECTED, EngineIo.kind(utf8("40{\"sid\":\"b\"}")));
    assertEquals(EngineIo.Kind.EVENT, EngineIo.kind(utf8("42[\"frame\",{}]")));
    assertEquals(EngineIo.Kind.CONNECT_ERROR, EngineIo.kind(utf8("44{\"message\":\"unauthorized\"}")));
    assertEquals(EngineIo.Kind.DISCONNECT, EngineIo.kind(utf8("41")));
    assertEquals(EngineIo.Kind.DISCONNECT, EngineIo.kind(utf8("1")));
    assertEquals(EngineIo.Kind.OTHER, EngineIo.kind(utf8("43[1]")));
    assertEquals(EngineIo.Kind.OTHER, EngineIo.kind(utf8("4")));
    assertEquals(EngineIo.Kind.OTHER, EngineIo.kind(new byte[0]));
  }

  @Test
  void outgoingPacketsAreJsonInsideTheirPrefix() {
    assertEquals("40{\"token\":\"a\\\"b\"}", EngineIo.connect("a\"b"));
    assertEquals(new JsonObject().put("token", "a\"b"), new JsonObject(EngineIo.connect("a\"b").substring(2)));
    String event = EngineIo.event("send", "{\"type\":\"send\",\"text\":\"x\"}");
    assertEquals("42[\"send\",{\"type\":\"send\",\"text\":\"x\"}]", event);
    JsonArray args = new JsonArray(event.substring(2));
    assertEquals("send", args.getString(0));
    assertEquals("x", args.getJsonObject(1).getString("text"));
  }

  @Test
  void eventPayloadIsTheFirstArgumentWhateverFollowsIt() {
    assertEquals("{\"type\":\"pong\"}", payload("42[\"pong\",{\"type\":\"pong\"}]"));
    // connection-state recovery appends the packet's offset as a last argument
    assertEquals("{\"seq\":1,\"data\":{\"a\":[1,{}]}}", payload("42[\"frame\",{\"seq\":1,\"data\":{\"a\":[1,{}]}},\"1700000000000-0\"]"));
    // braces, brackets, quotes and escapes inside strings do not end the object
    assertEquals("{\"text\":\"}]\\\"{[\\\\\"}", payload("42[\"frame\",{\"text\":\"}]\\\"{[\\\\\"},\"x\"]"));
    assertEquals("{\"t\":\"é→\"}", payload("42[\"ev\\\"ent\",{\"t\":\"é→\"}]"));
    assertEquals("{}", payload("4217[\"frame\",{}]"), "an ack id before the array is skipped");
  }

  @Test
  void malformedEventsHaveNoPayload() {
    assertNull(payload("42[\"frame\"]"));
    assertNull(payload("42[\"frame\",\"text\"]"));
    assertNull(payload("42[\"frame\",{\"open\":1"));
    assertNull(payload("42[\"frame\",{\"s\":\"unterminated}]"));
    assertNull(payload("42{\"frame\":1}"));
    assertNull(payload("40{\"sid\":\"a\"}"));
    assertNull(payload("42[\"fra"));
  }
}
