package dev.chatrelay.loadgen.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.Consumer;

/**
 * Joins WebSocket frames into whole text messages (as UTF-8 bytes, no String per message);
 * binary messages and continuations without a start are reported, control frames ignored
 * (Vert.x answers them). Confined to the connection's event loop.
 */
final class TextReassembly {

  private final Consumer<byte[]> onText;
  private final Consumer<String> onViolation;
  /** A text message arriving in several frames, until its final frame. */
  private Buffer fragments;

  TextReassembly(Consumer<byte[]> onText, Consumer<String> onViolation) {
    this.onText = onText;
    this.onViolation = onViolation;
  }

  void accept(WebSocketFrame frame) {
    if (frame.isBinary()) {
      onViolation.accept("binary message from the server");
      return;
    }
    if (!frame.isText() && !frame.isContinuation()) {
      return;
    }
    if (frame.isText() && frame.isFinal()) {
      onText.accept(frame.binaryData().getBytes());
      return;
    }
    if (frame.isText()) {
      fragments = Buffer.buffer();
    }
    if (fragments == null) {
      onViolation.accept("continuation frame without a started message");
      return;
    }
    fragments.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      byte[] whole = fragments.getBytes();
      fragments = null;
      onText.accept(whole);
    }
  }
}
