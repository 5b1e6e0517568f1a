// Tracks each `send` and its reply against PROTOCOL.md: user_message (seq = accepted.seq), then
// the reply's frames in the shape reply-shape.js checks (typing on, chunks, message = the chunks
// since the last restart, typing off — or an error); replies of a thread run one at a time in send order.
import { check } from 'k6';
import { metrics } from './metrics.js';
import { PHASE, ReplyShapeCheck } from './reply-shape.js';

export function ReplyTracker(settings) {
  this.expectEcho = settings.expectEcho;
  this.sends = {}; // id -> record
  this.order = []; // ids in send order
}

/** Registers a send (or finds the one being re-sent with the same id after a reconnect). */
ReplyTracker.prototype.recordSend = function (id, text) {
  if (!this.sends[id]) {
    this.sends[id] = { id: id, text: text, sentAt: Date.now(), acceptedSeq: null, userSeq: null, done: false,
      shape: new ReplyShapeCheck(), problems: [] };
    this.order.push(id);
  }
  return this.sends[id];
};

ReplyTracker.prototype.unaccepted = function () {
  const out = [];
  for (let i = 0; i < this.order.length; i++) {
    const s = this.sends[this.order[i]];
    if (s.acceptedSeq === null) out.push(s);
  }
  return out;
};

ReplyTracker.prototype.onAccepted = function (message) {
  const send = this.sends[message.id];
  if (!send) { metrics.protocolErrors.add(1, { reason: 'unknown_accepted' }); return; }
  if (send.acceptedSeq === null) metrics.acceptLatency.add(Date.now() - send.sentAt);
  else if (send.acceptedSeq !== message.seq) this.problem(send, 'accepted twice with different seqs');
  send.acceptedSeq = message.seq;
  if (send.userSeq !== null && send.userSeq !== message.seq) this.problem(send, 'accepted.seq differs from user_message seq');
};

ReplyTracker.prototype.problem = function (send, what) {
  if (send.problems.length === 0) metrics.repliesMalformed.add(1);
  send.problems.push(what);
  console.warn('reply ' + send.id + ': ' + what);
};

/** The reply that may stream now: the oldest send whose reply has not ended. */
ReplyTracker.prototype.activeReply = function () {
  for (let i = 0; i < this.order.length; i++) {
    const s = this.sends[this.order[i]];
    if (!s.done) return s;
  }
  return null;
};

/** Feeds one frame (in seq order, no duplicates); returns true when it ended a reply. */
ReplyTracker.prototype.onFrame = function (frame) {
  const data = frame.data || {};
  if (frame.kind === 'user_message') {
    const send = this.sends[frame.id];
    if (!send) { metrics.protocolErrors.add(1, { reason: 'unknown_user_message' }); return false; }
    send.userSeq = frame.seq;
    if (data.text !== send.text) this.problem(send, 'user_message text differs from the send');
    if (send.acceptedSeq !== null && send.acceptedSeq !== frame.seq) this.problem(send, 'user_message seq differs from accepted.seq');
    return false;
  }
  const send = this.sends[frame.replyTo];
  if (!send) { metrics.protocolErrors.add(1, { reason: 'unknown_reply' }); return false; }
  if (send !== this.activeReply()) this.problem(send, frame.kind + ' while the reply to ' + (this.activeReply() || {}).id + ' runs');
  if (send.userSeq === null) this.problem(send, frame.kind + ' before its user_message');
  return this.advance(send, frame, data);
};

/**
 * A compacted run: a reply whose message was seen is done (its typing off was in the run); the
 * reply in progress (or the next) lost some token frames, so it is checked from the frames that
 * remain (ReplyShapeCheck.compacted). Returns true when it ended a reply.
 */
ReplyTracker.prototype.onCompacted = function () {
  let ended = false;
  for (let send = this.activeReply(); send; send = this.activeReply()) {
    if (send.shape.phase !== PHASE.ENDED) {
      send.shape.compacted();
      break;
    }
    this.finish(send);
    ended = true;
  }
  return ended;
};

ReplyTracker.prototype.finish = function (send) {
  send.done = true;
  metrics.replyDuration.add(Date.now() - send.sentAt);
  check(send, { 'reply well-formed': function (s) { return s.problems.length === 0; } });
};

ReplyTracker.prototype.advance = function (send, frame, data) {
  const wrong = send.shape.accept(frame.kind, frame.data);
  if (wrong !== null) {
    this.problem(send, wrong);
    return false;
  }
  if (frame.kind === 'message' && this.expectEcho && !data.cancelled && data.text !== 'echo: ' + send.text) {
    this.problem(send, 'message is not the echo');
  }
  if (!send.shape.done()) return false;
  this.finish(send);
  return true;
};

ReplyTracker.prototype.allDone = function () {
  return this.order.length > 0 && this.activeReply() === null;
};

ReplyTracker.prototype.incomplete = function () {
  const out = [];
  for (let i = 0; i < this.order.length; i++) if (!this.sends[this.order[i]].done) out.push(this.order[i]);
  return out;
};
