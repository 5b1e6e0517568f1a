package dev.chatrelay.protocol.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Appends the fields of a record's binary form to an event-bus buffer (see {@link BinaryForms}). */
final class BusWriter {

  /** Length written for a null string. */
  static final int NULL_LENGTH = -1;

  private final Buffer buffer;

  BusWriter(Buffer buffer) {
    this.buffer = buffer;
  }

  BusWriter i32(int value) {
    buffer.appendInt(value);
    return this;
  }

  BusWriter i8(byte value) {
    buffer.appendByte(value);
    return this;
  }

  BusWriter i64(long value) {
    buffer.appendLong(value);
    return this;
  }

  BusWriter bool(boolean value) {
    buffer.appendByte(value ? (byte) 1 : (byte) 0);
    return this;
  }

  /** UTF-8 bytes after their length; {@link #NULL_LENGTH} for null. */
  BusWriter str(String value) {
    if (value == null) {
      buffer.appendInt(NULL_LENGTH);
      return this;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length);
    buffer.appendBytes(bytes);
    return this;
  }
}
