package dev.chatrelay.relay.journal;

/**
 * Variable-length byte records in one circular array, written at the head and released from the
 * tail in the same order (a log). Records are addressed by logical position, which only grows:
 * its slot is {@code position % capacity}, and a record may wrap around the array's end. When a
 * record does not fit, the array doubles and the live bytes move to their slots in the new size,
 * so positions stay valid. A long-lived array of bytes holds no references, so the garbage
 * collector neither copies nor scans what is retained here. Not thread-safe.
 */
final class ByteRing {

  /** The first array a ring that starts empty allocates. */
  private static final int MIN_CAPACITY = 256;
  private static final byte[] NONE = new byte[0];

  private byte[] bytes;
  /** Logical position of the oldest live byte. */
  private long tail;
  /** Logical position the next record is written at. */
  private long head;

  /** A ring with room for {@code initialCapacity} bytes; 0 allocates on the first append. */
  ByteRing(int initialCapacity) {
    this.bytes = initialCapacity > 0 ? new byte[initialCapacity] : NONE;
  }

  /** Writes {@code record} at the head; returns its position. */
  long append(byte[] record) {
    ensureFree(record.length);
    long at = head;
    copyIn(record, at);
    head += record.length;
    return at;
  }

  /** Frees everything before {@code position} (the start of the oldest record still wanted). */
  void releaseBefore(long position) {
    if (position < tail || position > head) {
      throw new IllegalArgumentException("position " + position + " outside " + tail + ".." + head);
    }
    tail = position;
  }

  /** Copies {@code length} bytes at {@code position} into {@code into[0..length)}. */
  void read(long position, byte[] into, int length) {
    if (position < tail || position + length > head) {
      throw new IllegalArgumentException("bytes " + position + "+" + length + " not live");
    }
    if (length == 0) {
      return; // nothing to copy, and an empty ring has no slot to compute
    }
    int from = slot(position);
    int first = Math.min(length, bytes.length - from);
    System.arraycopy(bytes, from, into, 0, first);
    System.arraycopy(bytes, 0, into, first, length - first);
  }

  /** The byte at {@code position} (live). */
  byte byteAt(long position) {
    return bytes[slot(position)];
  }

  /** The position the next record will be written at. */
  long end() {
    return head;
  }

  int capacity() {
    return bytes.length;
  }

  long live() {
    return head - tail;
  }

  private void copyIn(byte[] record, long at) {
    int to = slot(at);
    int first = Math.min(record.length, bytes.length - to);
    System.arraycopy(record, 0, bytes, to, first);
    System.arraycopy(record, first, bytes, 0, record.length - first);
  }

  private void ensureFree(int length) {
    long needed = live() + length;
    if (needed <= bytes.length) {
      return;
    }
    long capacity = Math.max(bytes.length, MIN_CAPACITY);
    while (capacity < needed) {
      capacity *= 2;
    }
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("byte ring over 2 GiB");
    }
    byte[] grown = new byte[(int) capacity];
    for (long p = tail; p < head; ) { // contiguous runs in both the old and the new array
      int from = slot(p);
      int to = (int) (p % capacity);
      int run = (int) Math.min(head - p, Math.min(bytes.length - from, capacity - to));
      System.arraycopy(bytes, from, grown, to, run);
      p += run;
    }
    bytes = grown;
  }

  private int slot(long position) {
    return (int) (position % bytes.length);
  }
}
