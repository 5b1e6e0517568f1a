package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread's retained frames in the embedded journal, without an object per frame: each frame
 * is one record of bytes (idempotency key, id, replyTo, wire text) in a {@link ByteRing}, its
 * seq's slot in a few primitive arrays (position, length, ts, kind, key hash) written in seq
 * order, and a {@link SeqIndex} over the keys. Under load the journal retains minutes of frames
 * per thread; kept as objects they were most of what every young collection copied. A read
 * builds the frames again from their bytes. Thread-safe (locked on itself).
 */
final class ThreadLog implements SeqIndex.RetainedKeys {

  /** Slots allocated at the first append; they double up to the retention. */
  private static final int INITIAL_FRAMES = 16;
  private static final FrameKind[] KINDS = FrameKind.values();
  /** Marks a frame without replyTo in its record. */
  private static final int ABSENT = -1;

  private final String thread;
  private final String epoch;
  private final int retention;
  private final SeqIndex index = new SeqIndex(this);
  private final ByteRing records;
  private long[] positions;
  private int[] lengths;
  private long[] stamps;
  private byte[] kinds;
  private int[] keyHashes;
  private long head;
  private int size;

  ThreadLog(String thread, String epoch, int retention) {
    this.thread = thread;
    this.epoch = epoch;
    this.retention = retention;
    // Nothing allocated until the first frame: a subscribed thread may never get one (idle).
    this.records = new ByteRing(0);
    allocate(0);
  }

  synchronized ThreadInfo info() {
    return new ThreadInfo(epoch, head, oldest());
  }

  synchronized Appended append(FrameDraft draft, long now) {
    long existing = index.find(draft.idempotencyKey());
    if (existing != 0) {
      return new Appended(frameAt(existing), false);
    }
    if (positions.length == 0) {
      allocate(Math.min(INITIAL_FRAMES, retention));
    } else if (size == positions.length && size < retention) {
      grow();
    }
    if (size == positions.length) { // full: the oldest frame makes room
      records.releaseBefore(size > 1 ? positions[slot(oldest() + 1)] : records.end());
    }
    head++;
    Frame frame = new Frame(thread, epoch, head, draft.id(), draft.kind(), now, draft.replyTo(),
        draft.data());
    byte[] record = encode(draft.idempotencyKey(), frame);
    int at = slot(head);
    positions[at] = records.append(record);
    lengths[at] = record.length;
    stamps[at] = now;
    kinds[at] = (byte) frame.kind().ordinal();
    keyHashes[at] = draft.idempotencyKey().hashCode();
    size = Math.min(size + 1, positions.length);
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
      out.add(frameAt(seq));
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
  public int keyHash(long seq) {
    return keyHashes[slot(seq)];
  }

  @Override
  public boolean keyEquals(long seq, byte[] key) {
    long at = positions[slot(seq)];
    if (readInt(at) != key.length) {
      return false;
    }
    for (int i = 0; i < key.length; i++) {
      if (records.byteAt(at + Integer.BYTES + i) != key[i]) {
        return false;
      }
    }
    return true;
  }

  /** Record layout: key length, key, id length, id, replyTo length or -1, replyTo, wire. */
  private static byte[] encode(String key, Frame frame) {
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

  private static int put(byte[] record, int at, byte[] part) {
    writeInt(record, at, part == null ? ABSENT : part.length);
    at += Integer.BYTES;
    if (part != null) {
      System.arraycopy(part, 0, record, at, part.length);
      at += part.length;
    }
    return at;
  }

  private Frame frameAt(long seq) {
    int at = slot(seq);
    byte[] record = new byte[lengths[at]];
    records.read(positions[at], record, record.length);
    int keyLength = readInt(record, 0);
    int idAt = Integer.BYTES + keyLength;
    int idLength = readInt(record, idAt);
    String id = new String(record, idAt + Integer.BYTES, idLength, StandardCharsets.UTF_8);
    int replyToAt = idAt + Integer.BYTES + idLength;
    int replyToLength = readInt(record, replyToAt);
    String replyTo = replyToLength == ABSENT ? null : new String(record,
        replyToAt + Integer.BYTES, replyToLength, StandardCharsets.UTF_8);
    int wireAt = replyToAt + Integer.BYTES + Math.max(0, replyToLength);
    String wire = new String(record, wireAt, record.length - wireAt, StandardCharsets.UTF_8);
    return Frame.ofWire(thread, epoch, seq, id, KINDS[kinds[at]], stamps[at], replyTo, wire);
  }

  private int readInt(long position) {
    int value = 0;
    for (int i = 0; i < Integer.BYTES; i++) {
      value = (value << 8) | (records.byteAt(position + i) & 0xff);
    }
    return value;
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

  private int slot(long seq) {
    return (int) (seq % positions.length);
  }

  private void allocate(int frames) {
    positions = new long[frames];
    lengths = new int[frames];
    stamps = new long[frames];
    kinds = new byte[frames];
    keyHashes = new int[frames];
  }

  /** Doubles the slot arrays (at most to the retention), moving each seq to its new slot. */
  private void grow() {
    long[] oldPositions = positions;
    int[] oldLengths = lengths;
    long[] oldStamps = stamps;
    byte[] oldKinds = kinds;
    int[] oldHashes = keyHashes;
    int oldCapacity = positions.length;
    allocate((int) Math.min((long) oldCapacity * 2, retention));
    for (long seq = oldest(); seq <= head; seq++) {
      int from = (int) (seq % oldCapacity);
      int to = slot(seq);
      positions[to] = oldPositions[from];
      lengths[to] = oldLengths[from];
      stamps[to] = oldStamps[from];
      kinds[to] = oldKinds[from];
      keyHashes[to] = oldHashes[from];
    }
  }
}
