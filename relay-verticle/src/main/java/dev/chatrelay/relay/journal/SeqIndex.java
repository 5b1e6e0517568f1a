package dev.chatrelay.relay.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the seq of the retained frame journaled under an idempotency key. Open addressing over
 * two primitive arrays: a journal keeps these tables for a long time (old generation) and writes
 * them on every append, and arrays without references never make the garbage collector scan
 * them for pointers into young objects (a {@code HashMap} there made young collections take
 * 50-130 ms under load). Only hashes and seqs are stored; a candidate is confirmed against the
 * key the log keeps with the frame, so a hash collision costs a comparison, never a wrong
 * answer. Entries whose seq is no longer retained (trimmed or compacted) are dead: lookups skip
 * them, inserts reuse them, and a rebuild from the retained keys clears them. Not thread-safe.
 */
final class SeqIndex {

  /** The retained frames' keys, by seq. */
  interface RetainedKeys {
    /** Whether {@code seq} is retained (and indexed by this index). */
    boolean retains(long seq);

    /** How many seqs {@link #forEachRetained} visits. */
    int retainedCount();

    /** Calls {@code action} with every retained seq. */
    void forEachRetained(java.util.function.LongConsumer action);

    /** {@code String.hashCode()} of the key of a retained seq. */
    int keyHash(long seq);

    /** Whether the key of a retained seq is {@code key} (UTF-8). */
    boolean keyEquals(long seq, byte[] key);
  }

  /** Marks a never-used slot; journal seqs start at 1. */
  private static final long EMPTY = 0;
  private static final int MIN_CAPACITY = 16;

  private final RetainedKeys keys;
  private int[] hashes;
  private long[] seqs;
  /** Slots not {@link #EMPTY}: live and dead entries. */
  private int used;

  SeqIndex(RetainedKeys keys) {
    this.keys = keys;
    this.hashes = new int[MIN_CAPACITY];
    this.seqs = new long[MIN_CAPACITY];
  }

  /** The retained seq journaled under {@code key}, or 0. */
  long find(String key) {
    int hash = key.hashCode();
    int mask = seqs.length - 1;
    byte[] bytes = null; // encoded once, on the first candidate
    for (int slot = spread(hash) & mask; seqs[slot] != EMPTY; slot = (slot + 1) & mask) {
      long seq = seqs[slot];
      if (hashes[slot] == hash && keys.retains(seq)) {
        if (bytes == null) {
          bytes = key.getBytes(StandardCharsets.UTF_8);
        }
        if (keys.keyEquals(seq, bytes)) {
          return seq;
        }
      }
    }
    return 0;
  }

  /** Records the key just retained as the newest, {@code seq}; it must not be found before. */
  void put(String key, long seq) {
    if (used + 1 > seqs.length / 4 * 3) {
      rebuild(); // indexes every retained key, this one included
      return;
    }
    int hash = key.hashCode();
    int mask = seqs.length - 1;
    int slot = spread(hash) & mask;
    while (seqs[slot] != EMPTY && keys.retains(seqs[slot])) {
      slot = (slot + 1) & mask;
    }
    if (seqs[slot] == EMPTY) {
      used++;
    }
    hashes[slot] = hash;
    seqs[slot] = seq;
  }

  int capacity() {
    return seqs.length;
  }

  /**
   * Drops the dead entries, sized so the retained keys fill at most half: dead entries then have
   * a quarter of the table to gather in before the next rebuild.
   */
  private void rebuild() {
    long live = keys.retainedCount();
    int capacity = MIN_CAPACITY;
    while (capacity < live * 2 + 2) {
      capacity <<= 1;
    }
    if (capacity == seqs.length) {
      Arrays.fill(seqs, EMPTY);
    } else {
      hashes = new int[capacity];
      seqs = new long[capacity];
    }
    used = 0;
    int mask = capacity - 1;
    keys.forEachRetained(seq -> {
      int hash = keys.keyHash(seq);
      int slot = spread(hash) & mask;
      while (seqs[slot] != EMPTY) {
        slot = (slot + 1) & mask;
      }
      hashes[slot] = hash;
      seqs[slot] = seq;
      used++;
    });
  }

  /** Keys of one reply differ only in their last characters: mix them into the low bits. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    return h ^ (h >>> 13);
  }
}
