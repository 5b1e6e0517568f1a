package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.wire.ServerMessages;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of one delivery from the cursor on: each retained frame, and for each run of seqs
 * the journal compacted away (a seq missing between the cursor and a frame, or between two
 * frames) one {@code compacted} notice, in seq order. At most {@code room} items: a notice counts
 * as one frame against the ack window, whatever its length (it is one message in flight).
 */
final class PumpBatch {

  final long first;
  long last;
  final List<String> wire = new ArrayList<>();
  /** (item index, last seq) pairs of the notices, as {@link dev.chatrelay.protocol.bus.Delivery} carries them. */
  final List<Long> runs = new ArrayList<>(0);
  /** (from, to) of each notice, for the subscription's window. */
  final List<long[]> runRanges = new ArrayList<>(0);

  private PumpBatch(long first) {
    this.first = first;
    this.last = first - 1;
  }

  /** Frames read from the journal after cursor {@code from - 1}; stops at {@code room} items. */
  static PumpBatch of(String thread, String epoch, long from, List<Frame> frames, long room) {
    PumpBatch b = new PumpBatch(from);
    for (Frame f : frames) {
      if (b.wire.size() >= room) {
        break;
      }
      if (f.seq() <= b.last) {
        continue;
      }
      if (f.seq() > b.last + 1) {
        b.addRun(thread, epoch, b.last + 1, f.seq() - 1);
        if (b.wire.size() >= room) {
          break;
        }
      }
      b.wire.add(f.toWire());
      b.last = f.seq();
    }
    return b;
  }

  /** Contiguous frames only (from the frame cache): stops at the first seq that does not follow. */
  static PumpBatch contiguous(long from, List<Frame> frames) {
    PumpBatch b = new PumpBatch(from);
    for (Frame f : frames) {
      if (f.seq() != b.last + 1) {
        break;
      }
      b.wire.add(f.toWire());
      b.last = f.seq();
    }
    return b;
  }

  boolean isEmpty() {
    return wire.isEmpty();
  }

  private void addRun(String thread, String epoch, long from, long to) {
    runs.add((long) wire.size());
    runs.add(to);
    runRanges.add(new long[] {from, to});
    wire.add(ServerMessages.compacted(thread, epoch, from, to));
    last = to;
  }
}
