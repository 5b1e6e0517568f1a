// The client's view of one thread's stream: the resume cursor, and every seq seen, so that
// gaps, duplicates and reordering are detected exactly (PROTOCOL.md "Guarantees").
import { metrics } from './metrics.js';

export function ThreadStream(thread) {
  this.thread = thread;
  this.epoch = null;
  this.last = 0; // highest seq processed: the `after` of the next resume
  this.acked = 0; // highest seq acked
  this.liveFrom = 1; // seqs below this were journaled before the current subscription (replay)
  this.ids = {}; // seq -> frame id of every frame processed
  this.missing = {}; // seq -> true for gaps not (yet) filled
  this.tokens = {}; // seq -> true for token frames processed (compaction may drop them from history later)
  this.runs = 0; // compacted runs processed
}

/** Conversation frames are never compacted; every other kind may be (PROTOCOL.md "Compaction"). */
const CONVERSATION = { user_message: true, message: true, error: true };

/** `subscribed`: adopts the epoch (false when it changed under a held cursor) and marks replay vs. live. */
ThreadStream.prototype.onSubscribed = function (message) {
  const sameEpoch = this.epoch === null || this.epoch === message.epoch;
  this.epoch = message.epoch;
  this.liveFrom = message.head + 1;
  return sameEpoch;
};

/**
 * Classifies one frame: 'new' (process it), 'duplicate' or 'late' (drop it; both are server bugs),
 * or 'foreign' (wrong thread/epoch). Records the matching metric.
 */
ThreadStream.prototype.accept = function (frame) {
  if (frame.thread !== this.thread || frame.epoch !== this.epoch || typeof frame.seq !== 'number') {
    metrics.protocolErrors.add(1, { reason: 'foreign_frame' });
    return 'foreign';
  }
  const seq = frame.seq;
  if (this.ids[seq] !== undefined) {
    metrics.framesDuplicated.add(1);
    return 'duplicate';
  }
  if (seq <= this.last) {
    metrics.framesOutOfOrder.add(1);
    delete this.missing[seq];
    this.ids[seq] = frame.id;
    return 'late';
  }
  for (let s = this.last + 1; s < seq; s++) this.missing[s] = true;
  this.ids[seq] = frame.id;
  if (!CONVERSATION[frame.kind]) this.tokens[seq] = true;
  this.last = seq;
  return 'new';
};

/**
 * Classifies a `compacted {from, to}` notice like a frame: 'new' moves the cursor to `to` (the
 * seqs count as processed), 'duplicate' when the cursor is past it, 'foreign' for another
 * thread/epoch; a run that starts beyond the cursor leaves a gap, counted as missing seqs.
 */
ThreadStream.prototype.acceptRun = function (run) {
  if (run.thread !== this.thread || run.epoch !== this.epoch || typeof run.from !== 'number' || typeof run.to !== 'number' || run.to < run.from) {
    metrics.protocolErrors.add(1, { reason: 'foreign_compacted' });
    return 'foreign';
  }
  if (run.to <= this.last) {
    metrics.framesDuplicated.add(1);
    return 'duplicate';
  }
  for (let s = this.last + 1; s < run.from; s++) this.missing[s] = true;
  this.last = run.to;
  this.runs++;
  return 'new';
};

ThreadStream.prototype.isLive = function (seq) {
  return seq >= this.liveFrom;
};

ThreadStream.prototype.missingCount = function () {
  return Object.keys(this.missing).length;
};
