package dev.chatrelay.gateway.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles fragmented client messages and enforces the size limit on the whole message
 * (PROTOCOL.md: 4513), counting as the fragments arrive so an oversized message is refused
 * before it is buffered. Vert.x's own limits are set above this one, so its 1009 never fires
 * first. A binary message is a protocol violation (4500). One per connection, event-loop bound.
 */
final class MessageAssembler {

  /** Where complete messages and violations go. */
  interface Sink {
    void onText(String text);

    void onBinary();

    void onTooLarge(long bytes);

    /** A ping, pong or close frame: only a sign of life. */
    void onControl();
  }

  private final int maxBytes;
  private final Sink sink;
  private Buffer partial;
  private boolean failed;

  MessageAssembler(int maxBytes, Sink sink) {
    this.maxBytes = maxBytes;
    this.sink = sink;
  }

  void onFrame(WebSocketFrame frame) {
    if (failed) {
      return;
    }
    if (frame.isBinary() || (frame.isContinuation() && partial == null)) {
      // A continuation with nothing started can only continue a binary message.
      fail();
      sink.onBinary();
      return;
    }
    if (!frame.isText() && !frame.isContinuation()) {
      sink.onControl();
      return;
    }
    Buffer data = frame.binaryData();
    long size = (partial == null ? 0 : partial.length()) + (long) data.length();
    if (size > maxBytes) {
      fail();
      sink.onTooLarge(size);
      return;
    }
    if (frame.isFinal() && partial == null) {
      sink.onText(data.toString(StandardCharsets.UTF_8));
      return;
    }
    if (partial == null) {
      partial = Buffer.buffer((int) Math.min(maxBytes, 2L * data.length()));
    }
    partial.appendBuffer(data);
    if (frame.isFinal()) {
      Buffer whole = partial;
      partial = null;
      sink.onText(whole.toString(StandardCharsets.UTF_8));
    }
  }

  private void fail() {
    failed = true;
    partial = null;
  }
}
