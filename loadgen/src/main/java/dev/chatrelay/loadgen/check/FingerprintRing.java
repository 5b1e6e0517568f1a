package dev.chatrelay.loadgen.check;

/** The fingerprints of the last {@code capacity} seqs of one view, grown on demand. */
final class FingerprintRing {

  private static final int INITIAL = 32;

  private final int capacity;
  private long[] slots = new long[INITIAL];

  FingerprintRing(int capacity) {
    this.capacity = capacity;
  }

  /** Stores the fingerprint of {@code seq} (seqs arrive contiguous, from 1). */
  void put(long seq, long fingerprint) {
    if (seq > slots.length && slots.length < capacity) {
      grow(seq);
    }
    slots[(int) ((seq - 1) % slots.length)] = fingerprint;
  }

  /** True when {@code seq} is still held, given that {@code last} is the newest seq stored. */
  boolean holds(long seq, long last) {
    return seq >= 1 && seq <= last && last - seq < slots.length;
  }

  long get(long seq) {
    return slots[(int) ((seq - 1) % slots.length)];
  }

  private void grow(long seq) {
    int size = slots.length;
    while (size < seq && size < capacity) {
      size = Math.min(capacity, size * 2);
    }
    long[] bigger = new long[size];
    // Grows only while seq ≤ old length + 1, so the old slots are seqs 1..old length in order.
    System.arraycopy(slots, 0, bigger, 0, slots.length);
    slots = bigger;
  }
}
