package dev.chatrelay.protocol.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Reads the fields {@link BusWriter} wrote, in the same order, from a position in a buffer. */
final class BusReader {

  private final Buffer buffer;
  private int pos;

  BusReader(Buffer buffer, int pos) {
    this.buffer = buffer;
    this.pos = pos;
  }

  int i32() {
    int value = buffer.getInt(pos);
    pos += Integer.BYTES;
    return value;
  }

  byte i8() {
    return buffer.getByte(pos++);
  }

  long i64() {
    long value = buffer.getLong(pos);
    pos += Long.BYTES;
    return value;
  }

  boolean bool() {
    return buffer.getByte(pos++) != 0;
  }

  String str() {
    int length = i32();
    if (length == BusWriter.NULL_LENGTH) {
      return null;
    }
    String value = new String(buffer.getBytes(pos, pos + length), StandardCharsets.UTF_8);
    pos += length;
    return value;
  }
}
