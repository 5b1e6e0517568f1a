// The shape of one reply (docs/PROTOCOL.md, "Frames of a reply") for every JS checker: the JS
// twin of shared-protocol's ReplyShape.ORDER and ReplyCheck, with the same verdict texts. Kept
// equal by the cases in shared-protocol/src/test/resources/reply-shape-cases.json, which Java's
// ReplyShapeJsDriftTest (it also reads REPLY_ORDER and FRAME_KINDS here) and
// k6/shim/test/reply-shape.test.mjs both run. No imports, plain ES2015: k6 and node load it as is.

/** The kinds of a completed reply in order; `restart` may stand before any chunk or the message. */
export const REPLY_ORDER = ['typing', 'chunk', 'message', 'typing'];

/** Every frame kind (FrameKind's wire names). */
export const FRAME_KINDS = ['user_message', 'typing', 'chunk', 'message', 'error', 'restart'];

/** Where a reply is: not begun, typing on seen, streaming chunks, ended, typing off seen. */
export const PHASE = { NONE: 'NONE', STARTED: 'STARTED', CHUNKS: 'CHUNKS', ENDED: 'ENDED', DONE: 'DONE' };

/**
 * Checks the frames of one reply, in seq order: typing on, chunks with `index` 0, 1, 2 …,
 * message (the chunks' text, unless cancelled), typing off — or an error in place of the chunks
 * and message (it may also follow chunks); a `restart` voids the chunks so far, indexes count
 * from 0 again and its `attempt` numbers the wordings 2, 3, …. After `compacted()` the reply is
 * checked from the frames that remain. `accept` returns null when the frame fits, else what is
 * wrong (and the state is left as it was).
 */
export function ReplyShapeCheck() {
  this.phase = PHASE.NONE;
  this.nextChunk = 0;
  this.shownText = '';
  this.wording = 1; // the wording the chunks belong to
  this.partial = false; // some token frames were compacted: the chunks are not all known
  this.afterRun = false; // a run just passed: the next chunk may skip indexes
  this.before = ''; // the chunks' text seen before the run (the message must start with it)
}

/** Typing off was seen: the reply is complete. */
ReplyShapeCheck.prototype.done = function () {
  return this.phase === PHASE.DONE;
};

/** The text the chunks since the last restart show (the final text = these chunks joined). */
ReplyShapeCheck.prototype.shown = function () {
  return this.shownText;
};

/** Checks one frame given as its kind and payload. */
ReplyShapeCheck.prototype.accept = function (kind, data) {
  if (!isKnownKind(kind)) return "unknown frame kind '" + kind + "'";
  if (data === null || typeof data !== 'object') return kind + ' without data';
  switch (kind) {
    case 'typing': return typeof data.on === 'boolean' ? this.typing(data.on) : 'typing without data.on';
    case 'chunk': return typeof data.index === 'number' ? this.chunk(data.index, textOf(data)) : 'chunk without data.index';
    case 'message': return this.message(textOf(data), data.cancelled === true);
    case 'restart': return typeof data.attempt === 'number' ? this.restart(data.attempt) : 'restart without data.attempt';
    case 'error': return this.error(typeof data.code === 'string' ? data.code : null);
    default: return 'user_message inside a reply';
  }
};

ReplyShapeCheck.prototype.typing = function (on) {
  if (on) {
    if (this.phase !== PHASE.NONE) return 'typing on in phase ' + this.phase;
    this.phase = PHASE.STARTED;
    return null;
  }
  if (this.phase !== PHASE.ENDED) return 'typing off in phase ' + this.phase;
  this.phase = PHASE.DONE;
  return null;
};

ReplyShapeCheck.prototype.chunk = function (index, text) {
  const wrong = this.streaming('chunk');
  if (wrong !== null) return wrong;
  const expected = this.afterRun && index >= this.nextChunk ? index : this.nextChunk; // compacted chunks before it
  if (index !== expected) return 'chunk index ' + index + ', expected ' + expected;
  if (text === null) return 'chunk without data.text';
  this.afterRun = false;
  this.nextChunk = index + 1;
  this.shownText += text;
  this.phase = PHASE.CHUNKS;
  return null;
};

/** `attempt`: the wording that starts here; after a compacted run any later one fits. */
ReplyShapeCheck.prototype.restart = function (attempt) {
  const wrong = this.streaming('restart');
  if (wrong !== null) return wrong;
  if (this.partial ? attempt <= this.wording : attempt !== this.wording + 1) {
    return 'restart attempt ' + attempt + ' after wording ' + this.wording;
  }
  this.wording = attempt;
  this.afterRun = false;
  this.nextChunk = 0;
  this.shownText = '';
  this.phase = PHASE.STARTED;
  return null;
};

ReplyShapeCheck.prototype.message = function (text, cancelled) {
  const wrong = this.streaming('message');
  if (wrong !== null) return wrong;
  if (text === null) return 'message without data.text';
  if (!cancelled && !this.partial && text !== this.shownText) return 'message text differs from its chunks';
  if (!cancelled && this.partial && !(text.startsWith(this.before) && text.endsWith(this.shownText))) {
    return 'message text does not fit the chunks seen around a compacted run';
  }
  this.partial = false;
  this.afterRun = false;
  this.phase = PHASE.ENDED;
  return null;
};

ReplyShapeCheck.prototype.error = function (code) {
  const wrong = this.streaming('error');
  if (wrong !== null) return wrong;
  if (code === null) return 'error frame without data.code';
  this.afterRun = false;
  this.phase = PHASE.ENDED;
  return null;
};

/** Token frames of this reply before here were dropped by compaction: it may go on with any of its frames. */
ReplyShapeCheck.prototype.compacted = function () {
  if (!this.partial) this.before = this.phase === PHASE.CHUNKS ? this.shownText : '';
  this.shownText = '';
  this.partial = true;
  this.afterRun = true;
};

/** Chunks, restarts, the message and errors come after typing on, before the ending. */
ReplyShapeCheck.prototype.streaming = function (what) {
  if (this.phase === PHASE.NONE && this.partial) this.phase = PHASE.STARTED; // the typing on was compacted
  if (this.phase !== PHASE.STARTED && this.phase !== PHASE.CHUNKS) return what + ' in phase ' + this.phase;
  return null;
};

/**
 * Checks a whole reply (its frames `{kind, data}`, without the user message): every frame fits
 * and it ends with typing off. Returns what is wrong, empty when nothing.
 */
export function replyViolations(frames) {
  const check = new ReplyShapeCheck();
  const wrong = [];
  for (let i = 0; i < frames.length; i++) {
    const w = check.accept(frames[i].kind, frames[i].data);
    if (w !== null) wrong.push(w + ' at ' + JSON.stringify(frames[i]));
  }
  if (!check.done()) wrong.push('the reply did not end with typing off (phase ' + check.phase + ')');
  return wrong;
}

function isKnownKind(kind) {
  return FRAME_KINDS.indexOf(kind) >= 0;
}

function textOf(data) {
  return typeof data.text === 'string' ? data.text : null;
}
