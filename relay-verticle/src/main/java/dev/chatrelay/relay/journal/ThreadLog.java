package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One thread's retained frames in the embedded journal, without an object per frame: the
 * conversation frames in one {@link FrameRing}, the token frames in another, a {@link SeqIndex}
 * over every retained idempotency key and one over the replies that ended (by the replyTo of
 * their retained {@code message} or {@code error}). Retention as in {@link Compaction}: the
 * newest {@code retentionMessages} conversation frames, and token frames only while they are
 * among the newest {@code retentionFrames} seqs or their reply has not ended. A read builds the
 * frames again from their bytes. Thread-safe (locked on itself).
 */
final class ThreadLog {

  private static final FrameKind[] KINDS = FrameKind.values();

  private final String thread;
  private final String epoch;
  private final int retentionFrames;
  private final int retentionMessages;
  private final FrameRing messages = new FrameRing();
  private final FrameRing tokens = new FrameRing();
  private final SeqIndex keys = new SeqIndex(new IdempotencyKeys());
  private final SeqIndex ends = new SeqIndex(new EndedReplies());
  private long head;
  /** Everything below this seq is gone; at or above, a missing seq was compacted. */
  private long oldest = 1;

  ThreadLog(String thread, String epoch, int retentionFrames, int retentionMessages) {
    this.thread = thread;
    this.epoch = epoch;
    this.retentionFrames = retentionFrames;
    this.retentionMessages = retentionMessages;
  }

  synchronized ThreadInfo info() {
    return new ThreadInfo(epoch, head, oldest);
  }

  synchronized Appended append(FrameDraft draft, long now) {
    long existing = keys.find(draft.idempotencyKey());
    if (existing != 0) {
      return new Appended(frameAt(existing), false, oldest);
    }
    head++;
    Frame frame = new Frame(thread, epoch, head, draft.id(), draft.kind(), now, draft.replyTo(),
        draft.data());
    byte[] record = FrameRecord.encode(draft.idempotencyKey(), frame);
    int keyHash = draft.idempotencyKey().hashCode();
    byte kind = (byte) draft.kind().ordinal();
    if (Compaction.conversation(draft.kind())) {
      messages.add(head, record, now, kind, keyHash);
      if (Compaction.ending(draft.kind()) && draft.replyTo() != null) {
        ends.put(draft.replyTo(), head);
      }
    } else {
      tokens.add(head, record, now, kind, keyHash);
    }
    keys.put(draft.idempotencyKey(), head);
    keepNewestMessages();
    compactTokens();
    return new Appended(frame, true, oldest);
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

  /** Up to {@code limit} retained frames above {@code afterSeq}, merged by seq, and the floor. */
  synchronized Retained read(long afterSeq, int limit) {
    long after = Math.max(afterSeq, oldest - 1);
    int m = messages.firstAbove(after);
    int t = tokens.firstAbove(after);
    List<Frame> out = new ArrayList<>(Math.min(Math.max(limit, 0), 256));
    while (out.size() < limit && (m < messages.size() || t < tokens.size())) {
      boolean fromMessages = t >= tokens.size()
          || (m < messages.size() && messages.seq(m) < tokens.seq(t));
      out.add(fromMessages ? frame(messages, m++) : frame(tokens, t++));
    }
    return new Retained(oldest, out);
  }

  /** Bytes of heap this log holds in arrays and byte rings (for measurements). */
  synchronized long heapBytes() {
    return messages.heapBytes() + tokens.heapBytes() + 12L * (keys.capacity() + ends.capacity());
  }

  /** Message retention: the oldest conversation frame beyond the count goes, with all below it. */
  private void keepNewestMessages() {
    while (messages.size() > retentionMessages) {
      oldest = messages.seq(0) + 1;
      messages.removeOldest();
    }
    while (!tokens.isEmpty() && tokens.seq(0) < oldest) {
      tokens.removeOldest();
    }
  }

  /** Drops the oldest token frames beyond the newest seqs while their reply has ended. */
  private void compactTokens() {
    long cut = head - retentionFrames;
    while (!tokens.isEmpty() && tokens.seq(0) <= cut) {
      String replyTo = FrameRecord.replyTo(tokens.record(0));
      if (replyTo != null && ends.find(replyTo) == 0) {
        return; // a reply in progress: never compacted (and nothing after it, to keep order)
      }
      tokens.removeOldest();
    }
  }

  private Frame frameAt(long seq) {
    int m = messages.indexOf(seq);
    return m >= 0 ? frame(messages, m) : frame(tokens, tokens.indexOf(seq));
  }

  private Frame frame(FrameRing ring, int i) {
    return FrameRecord.decode(ring.record(i), thread, epoch, ring.seq(i), ring.kind(i),
        ring.stamp(i));
  }

  /** Every retained frame's idempotency key, in both rings. */
  private final class IdempotencyKeys implements SeqIndex.RetainedKeys {
    @Override
    public boolean retains(long seq) {
      return messages.indexOf(seq) >= 0 || tokens.indexOf(seq) >= 0;
    }

    @Override
    public int retainedCount() {
      return messages.size() + tokens.size();
    }

    @Override
    public void forEachRetained(LongConsumer action) {
      for (int i = 0; i < messages.size(); i++) {
        action.accept(messages.seq(i));
      }
      for (int i = 0; i < tokens.size(); i++) {
        action.accept(tokens.seq(i));
      }
    }

    @Override
    public int keyHash(long seq) {
      int m = messages.indexOf(seq);
      return m >= 0 ? messages.keyHash(m) : tokens.keyHash(tokens.indexOf(seq));
    }

    @Override
    public boolean keyEquals(long seq, byte[] key) {
      int m = messages.indexOf(seq);
      return m >= 0 ? FrameRecord.keyEquals(messages, messages.position(m), key)
          : FrameRecord.keyEquals(tokens, tokens.position(tokens.indexOf(seq)), key);
    }
  }

  /** The replyTo of every retained ending frame ({@code message}, {@code error}). */
  private final class EndedReplies implements SeqIndex.RetainedKeys {
    @Override
    public boolean retains(long seq) {
      int m = messages.indexOf(seq);
      return m >= 0 && ending(m);
    }

    @Override
    public int retainedCount() {
      int n = 0;
      for (int i = 0; i < messages.size(); i++) {
        n += ending(i) ? 1 : 0;
      }
      return n;
    }

    @Override
    public void forEachRetained(LongConsumer action) {
      for (int i = 0; i < messages.size(); i++) {
        if (ending(i)) {
          action.accept(messages.seq(i));
        }
      }
    }

    @Override
    public int keyHash(long seq) {
      return FrameRecord.replyTo(messages.record(messages.indexOf(seq))).hashCode();
    }

    @Override
    public boolean keyEquals(long seq, byte[] key) {
      String replyTo = FrameRecord.replyTo(messages.record(messages.indexOf(seq)));
      return replyTo != null
          && java.util.Arrays.equals(replyTo.getBytes(StandardCharsets.UTF_8), key);
    }

    private boolean ending(int i) {
      return Compaction.ending(KINDS[messages.kind(i)])
          && FrameRecord.replyTo(messages.record(i)) != null;
    }
  }
}
