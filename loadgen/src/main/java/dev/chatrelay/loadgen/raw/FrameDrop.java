package dev.chatrelay.loadgen.raw;

import java.util.concurrent.atomic.AtomicBoolean;

/** The deliberately broken mode: the first push of a frame with seq {@code seq} is skipped, once. */
final class FrameDrop {

  private final long seq;
  private final AtomicBoolean done = new AtomicBoolean();

  /** {@code seq} 0: never drop. */
  FrameDrop(long seq) {
    this.seq = seq;
  }

  boolean dropNow(long frameSeq) {
    return seq > 0 && frameSeq == seq && done.compareAndSet(false, true);
  }

  boolean dropped() {
    return done.get();
  }
}
