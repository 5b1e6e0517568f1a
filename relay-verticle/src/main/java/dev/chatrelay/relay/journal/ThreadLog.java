package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread's retained frames in the embedded journal, and the idempotency key of each: a ring
 * written in seq order (growing up to the retention as the thread does), so the long-lived arrays
 * change one slot after another, and a {@link SeqIndex} over the keys. Thread-safe (locked on
 * itself).
 */
final class ThreadLog implements SeqIndex.RetainedKeys {

  private static final int INITIAL_CAPACITY = 16;

  private final String thread;
  private final String epoch;
  private final int retention;
  private final SeqIndex index = new SeqIndex(this);
  private Frame[] frames;
  private String[] keys;
  private long head;
  private int size;

  ThreadLog(String thread, String epoch, int retention) {
    this.thread = thread;
    this.epoch = epoch;
    this.retention = retention;
    int capacity = Math.min(INITIAL_CAPACITY, retention);
    this.frames = new Frame[capacity];
    this.keys = new String[capacity];
  }

  synchronized ThreadInfo info() {
    return new ThreadInfo(epoch, head, oldest());
  }

  synchronized Appended append(FrameDraft draft, long now) {
    long existing = index.find(draft.idempotencyKey());
    if (existing != 0) {
      return new Appended(frames[slot(existing)], false);
    }
    if (size == frames.length && size < retention) {
      grow();
    }
    head++;
    Frame frame = new Frame(thread, epoch, head, draft.id(), draft.kind(), now, draft.replyTo(),
        draft.data());
    frames[slot(head)] = frame; // a full ring overwrites the oldest frame
    keys[slot(head)] = draft.idempotencyKey();
    size = Math.min(size + 1, frames.length);
    index.put(draft.idempotencyKey(), head);
    return new Appended(frame, true);
  }

  /** Appends in order under one lock, stopping after the first duplicate. */
  synchronized List<Appended> appendAll(List<FrameDraft> drafts, long now) {
    List<Appended> out = new ArrayList<>(drafts.size());
    for (FrameDraft draft : drafts) {
      Appended appended = append(draft, now);
      out.add(appended);
      if (!appended.created()) {
        break;
      }
    }
    return out;
  }

  synchronized List<Frame> read(long afterSeq, int limit) {
    long from = Math.max(afterSeq + 1, oldest());
    long to = Math.min(head, from + limit - 1);
    List<Frame> out = new ArrayList<>((int) Math.max(0, to - from + 1));
    for (long seq = from; seq <= to; seq++) {
      out.add(frames[slot(seq)]);
    }
    return out;
  }

  @Override
  public long oldest() {
    return head - size + 1;
  }

  @Override
  public long newest() {
    return head;
  }

  @Override
  public String keyAt(long seq) {
    return keys[slot(seq)];
  }

  private int slot(long seq) {
    return (int) (seq % frames.length);
  }

  /** Doubles the ring (at most to the retention), moving each frame to its slot in the new size. */
  private void grow() {
    int capacity = (int) Math.min((long) frames.length * 2, retention);
    Frame[] grownFrames = new Frame[capacity];
    String[] grownKeys = new String[capacity];
    for (long seq = oldest(); seq <= head; seq++) {
      grownFrames[(int) (seq % capacity)] = frames[slot(seq)];
      grownKeys[(int) (seq % capacity)] = keys[slot(seq)];
    }
    frames = grownFrames;
    keys = grownKeys;
  }
}
