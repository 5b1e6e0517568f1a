package dev.chatrelay.worker.engine;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental Server-Sent Events parser: fed the body in arbitrary pieces (a line, even a UTF-8
 * character, may span two), it hands out the {@code data} of each complete event. Lines end with
 * LF or CRLF; {@code data} lines of one event join with LF; comments and other fields are skipped.
 */
public final class SseParser {

  /** Longest event accepted, in characters: bounds the memory a misbehaving server can take. */
  public static final int MAX_EVENT_CHARS = 1 << 20;

  private static final byte LF = '\n';
  private static final byte CR = '\r';

  private final Consumer<String> onEvent;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** @param onEvent receives the data of each event, in order */
  public SseParser(Consumer<String> onEvent) {
    this.onEvent = onEvent;
  }

  /** Parses the next piece of the body. @throws IllegalStateException when an event is too large */
  public void feed(Buffer piece) {
    byte[] bytes = piece.getBytes();
    int lineStart = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == LF) {
        line.write(bytes, lineStart, i - lineStart);
        lineStart = i + 1;
        endOfLine();
      }
    }
    line.write(bytes, lineStart, bytes.length - lineStart);
    checkSize();
  }

  private void checkSize() {
    if (line.size() + data.length() > MAX_EVENT_CHARS) {
      throw new IllegalStateException("server-sent event longer than " + MAX_EVENT_CHARS + " characters");
    }
  }

  private void endOfLine() {
    byte[] raw = line.toByteArray();
    line.reset();
    int length = raw.length > 0 && raw[raw.length - 1] == CR ? raw.length - 1 : raw.length;
    String text = new String(raw, 0, length, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      dispatch();
    } else if (!text.startsWith(":")) {
      field(text);
    }
  }

  private void field(String text) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    if (!name.equals("data")) {
      return; // event, id and retry carry nothing a chat completion needs
    }
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (hasData) {
      data.append('\n');
    }
    data.append(value);
    hasData = true;
    checkSize();
  }

  private void dispatch() {
    if (hasData) {
      String event = data.toString();
      data.setLength(0);
      hasData = false;
      onEvent.accept(event);
    }
  }
}
