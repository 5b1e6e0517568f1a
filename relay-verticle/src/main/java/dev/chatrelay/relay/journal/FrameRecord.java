package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import java.nio.charset.StandardCharsets;

/**
 * The bytes the embedded journal keeps per frame: key length, key, id length, id, replyTo
 * length or -1, replyTo, wire text. Seq, ts and kind live in the {@link FrameRing} slot.
 */
final class FrameRecord {

  private static final FrameKind[] KINDS = FrameKind.values();
  /** Marks a frame without replyTo. */
  private static final int ABSENT = -1;

  private FrameRecord() {}

  static byte[] encode(String key, Frame frame) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] id = frame.id().getBytes(StandardCharsets.UTF_8);
    byte[] replyTo = frame.replyTo() == null ? null
        : frame.replyTo().getBytes(StandardCharsets.UTF_8);
    byte[] wire = frame.toWire().getBytes(StandardCharsets.UTF_8);
    int length = 3 * Integer.BYTES + k.length + id.length
        + (replyTo == null ? 0 : replyTo.length) + wire.length;
    byte[] record = new byte[length];
    int at = put(record, 0, k);
    at = put(record, at, id);
    at = put(record, at, replyTo);
    System.arraycopy(wire, 0, record, at, wire.length);
    return record;
  }

  static Frame decode(byte[] record, String thread, String epoch, long seq, byte kind, long ts) {
    int idAt = Integer.BYTES + readInt(record, 0);
    int idLength = readInt(record, idAt);
    String id = new String(record, idAt + Integer.BYTES, idLength, StandardCharsets.UTF_8);
    int replyToAt = idAt + Integer.BYTES + idLength;
    int wireAt = replyToAt + Integer.BYTES + Math.max(0, readInt(record, replyToAt));
    String wire = new String(record, wireAt, record.length - wireAt, StandardCharsets.UTF_8);
    return Frame.ofWire(thread, epoch, seq, id, KINDS[kind], ts, replyTo(record), wire);
  }

  /** The replyTo of a record, or null. */
  static String replyTo(byte[] record) {
    int idAt = Integer.BYTES + readInt(record, 0);
    int replyToAt = idAt + Integer.BYTES + readInt(record, idAt);
    int length = readInt(record, replyToAt);
    return length == ABSENT ? null
        : new String(record, replyToAt + Integer.BYTES, length, StandardCharsets.UTF_8);
  }

  /** Whether the key stored in {@code ring}'s record at {@code position} is {@code key}. */
  static boolean keyEquals(FrameRing ring, long position, byte[] key) {
    int length = 0;
    for (int i = 0; i < Integer.BYTES; i++) {
      length = (length << 8) | (ring.byteAt(position + i) & 0xff);
    }
    if (length != key.length) {
      return false;
    }
    for (int i = 0; i < key.length; i++) {
      if (ring.byteAt(position + Integer.BYTES + i) != key[i]) {
        return false;
      }
    }
    return true;
  }

  private static int put(byte[] record, int at, byte[] part) {
    writeInt(record, at, part == null ? ABSENT : part.length);
    at += Integer.BYTES;
    if (part != null) {
      System.arraycopy(part, 0, record, at, part.length);
      at += part.length;
    }
    return at;
  }

  private static int readInt(byte[] record, int at) {
    return ((record[at] & 0xff) << 24) | ((record[at + 1] & 0xff) << 16)
        | ((record[at + 2] & 0xff) << 8) | (record[at + 3] & 0xff);
  }

  private static void writeInt(byte[] record, int at, int value) {
    record[at] = (byte) (value >>> 24);
    record[at + 1] = (byte) (value >>> 16);
    record[at + 2] = (byte) (value >>> 8);
    record[at + 3] = (byte) value;
  }
}
