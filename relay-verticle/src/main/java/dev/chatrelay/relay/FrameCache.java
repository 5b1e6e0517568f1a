package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most recent frames of one thread, contiguous by seq, so live subscribers are served from
 * memory. A frame that does not follow the last one restarts the cache (another writer appended).
 */
final class FrameCache {

  private final Frame[] ring;
  private long first;
  private int size;

  FrameCache(int capacity) {
    this.ring = new Frame[capacity];
  }

  void add(Frame frame) {
    if (size > 0 && frame.seq() != last() + 1) {
      clear();
    }
    ring[slot(frame.seq())] = frame;
    if (size < ring.length) {
      size++;
    }
    first = frame.seq() - size + 1;
  }

  /** True when the frame with {@code seq} is cached. */
  boolean has(long seq) {
    return size > 0 && seq >= first && seq <= last();
  }

  /** Cached frames {@code from .. min(to, last)}; {@code from} must be cached. */
  List<Frame> range(long from, long to) {
    long end = Math.min(to, last());
    List<Frame> out = new ArrayList<>((int) Math.max(0, end - from + 1));
    for (long seq = from; seq <= end; seq++) {
      out.add(ring[slot(seq)]);
    }
    return out;
  }

  void clear() {
    Arrays.fill(ring, null);
    size = 0;
  }

  private long last() {
    return first + size - 1;
  }

  private int slot(long seq) {
    return (int) Math.floorMod(seq, (long) ring.length);
  }
}
