package dev.chatrelay.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  private final List<String> events = new ArrayList<>();
  private final MessageAssembler assembler = new MessageAssembler(10, new RecordingSink(events));

  @Test
  void passesWholeTextMessages() {
    assembler.onFrame(WebSocketFrame.textFrame("0123456789", true));
    assertEquals(List.of("text:0123456789"), events);
  }

  @Test
  void reassemblesFragmentsIncludingMultiByteCharactersSplitAcrossThem() {
    byte[] euro = "\u20ac".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assembler.onFrame(WebSocketFrame.textFrame("ab", false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {euro[0]}), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {euro[1], euro[2]}), true));
    assembler.onFrame(WebSocketFrame.textFrame("next", true));
    assertEquals(List.of("text:ab\u20ac", "text:next"), events);
  }

  @Test
  void refusesAMessageOverTheLimitAsSoonAsTheFragmentsExceedIt() {
    assembler.onFrame(WebSocketFrame.textFrame("012345", false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("6789X"), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("more"), true));
    assembler.onFrame(WebSocketFrame.textFrame("ignored", true));
    assertEquals(List.of("too-large:11"), events);
  }

  @Test
  void binaryMessagesAndOrphanContinuationsAreViolations() {
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer("x"), true));
    assertEquals(List.of("binary"), events);
    MessageAssembler other = new MessageAssembler(10, new RecordingSink(events));
    other.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("x"), true));
    assertEquals(List.of("binary", "binary"), events);
  }

  @Test
  void controlFramesAreSignsOfLifeOnly() {
    assembler.onFrame(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    assembler.onFrame(WebSocketFrame.textFrame("a", true));
    assertEquals(List.of("control", "text:a"), events);
  }

  private record RecordingSink(List<String> events) implements MessageAssembler.Sink {
    @Override
    public void onText(String text) {
      events.add("text:" + text);
    }

    @Override
    public void onBinary() {
      events.add("binary");
    }

    @Override
    public void onTooLarge(long bytes) {
      events.add("too-large:" + bytes);
    }

    @Override
    public void onControl() {
      events.add("control");
    }
  }
}
