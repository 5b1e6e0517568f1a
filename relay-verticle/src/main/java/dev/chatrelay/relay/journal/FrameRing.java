package dev.chatrelay.relay.journal;

/**
 * Frames in ascending seq order, not necessarily contiguous, added at the newest end and removed
 * from the oldest: each frame's record in a {@link ByteRing} and its slot (seq, position,
 * length, ts, kind, key hash) in primitive arrays used as a circular buffer. No object per frame,
 * so the garbage collector neither copies nor scans what is retained. A {@link ThreadLog} keeps
 * two: conversation frames and token frames. Not thread-safe.
 */
final class FrameRing {

  /** Slots allocated at the first add; they double as needed. */
  private static final int INITIAL_SLOTS = 16;

  private final ByteRing records = new ByteRing(0);
  private long[] seqs = new long[0];
  private long[] positions = new long[0];
  private int[] lengths = new int[0];
  private long[] stamps = new long[0];
  private byte[] kinds = new byte[0];
  private int[] keyHashes = new int[0];
  /** Array index of the oldest frame. */
  private int first;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Seq of the i-th oldest frame (0-based). */
  long seq(int i) {
    return seqs[at(i)];
  }

  long stamp(int i) {
    return stamps[at(i)];
  }

  byte kind(int i) {
    return kinds[at(i)];
  }

  int keyHash(int i) {
    return keyHashes[at(i)];
  }

  /** The record of the i-th oldest frame. */
  byte[] record(int i) {
    int a = at(i);
    byte[] out = new byte[lengths[a]];
    records.read(positions[a], out, out.length);
    return out;
  }

  /** Position of the i-th oldest frame's record in the byte ring (for byte comparisons). */
  long position(int i) {
    return positions[at(i)];
  }

  byte byteAt(long position) {
    return records.byteAt(position);
  }

  /** Adds the newest frame; {@code seq} must be above every seq held. */
  void add(long seq, byte[] record, long ts, byte kind, int keyHash) {
    if (size > 0 && seq <= seq(size - 1)) {
      throw new IllegalArgumentException("seq " + seq + " not above " + seq(size - 1));
    }
    if (size == seqs.length) {
      grow();
    }
    int a = at(size);
    seqs[a] = seq;
    positions[a] = records.append(record);
    lengths[a] = record.length;
    stamps[a] = ts;
    kinds[a] = kind;
    keyHashes[a] = keyHash;
    size++;
  }

  /** Forgets the oldest frame and frees its bytes. */
  void removeOldest() {
    if (size == 0) {
      throw new IllegalStateException("empty");
    }
    size--;
    first = (first + 1) % seqs.length;
    records.releaseBefore(size > 0 ? positions[first] : records.end());
  }

  /** Index of the frame with {@code seq}, or -1. */
  int indexOf(long seq) {
    int i = firstAbove(seq - 1);
    return i < size && seq(i) == seq ? i : -1;
  }

  /** Index of the oldest frame with a seq above {@code seq}; {@link #size()} when none. */
  int firstAbove(long seq) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (seq(mid) <= seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int at(int i) {
    return (first + i) % seqs.length;
  }

  /** Doubles the slot arrays, moving the frames to indexes 0..size-1. */
  private void grow() {
    int capacity = Math.max(INITIAL_SLOTS, seqs.length * 2);
    long[] s = new long[capacity];
    long[] p = new long[capacity];
    int[] l = new int[capacity];
    long[] t = new long[capacity];
    byte[] k = new byte[capacity];
    int[] h = new int[capacity];
    for (int i = 0; i < size; i++) {
      int a = at(i);
      s[i] = seqs[a];
      p[i] = positions[a];
      l[i] = lengths[a];
      t[i] = stamps[a];
      k[i] = kinds[a];
      h[i] = keyHashes[a];
    }
    seqs = s;
    positions = p;
    lengths = l;
    stamps = t;
    kinds = k;
    keyHashes = h;
    first = 0;
  }

  /** Bytes held by the arrays and the byte ring (for measurements). */
  long heapBytes() {
    return (long) seqs.length * (8 + 8 + 4 + 8 + 1 + 4) + records.capacity();
  }
}
