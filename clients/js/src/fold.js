// A reply's frames folded into what a user sees. Part of the browser SDK (see index.js).

/**
 * Folds one frame of a reply into what a user sees (frames in seq order): a chunk appends its
 * text, a `restart` starts the text over (a retried reply never shows two wordings glued
 * together), the `message` replaces it with the complete reply, an `error` ends it.
 * `reply` is what the previous call returned, or undefined for the reply's first frame.
 */
export function foldReplyFrame(reply, frame) {
  const next = reply
    ? { ...reply }
    : { replyTo: frame.replyTo, text: '', done: false, cancelled: false, error: null, restarts: 0, typing: false, finishReason: null, usage: null, seq: 0 };
  const data = frame.data ?? {};
  next.seq = frame.seq;
  switch (frame.kind) {
    case 'typing':
      next.typing = data.on === true;
      break;
    case 'chunk':
      if (!next.done) next.text += data.text ?? '';
      break;
    case 'restart':
      if (!next.done) next.text = '';
      next.restarts += 1;
      break;
    case 'message':
      next.text = data.text ?? '';
      next.done = true;
      next.cancelled = data.cancelled === true;
      next.finishReason = data.finishReason ?? null;
      next.usage = data.usage ?? null;
      break;
    case 'error':
      next.done = true;
      next.error = { code: data.code ?? 'internal', message: data.message ?? '' };
      break;
    default:
      break;
  }
  return next;
}

/** Every reply in a thread's frames (seq order), folded: a Map from `replyTo` to the reply, in order of first frame. */
export function foldReplies(frames) {
  const replies = new Map();
  for (const frame of frames) {
    if (!frame.replyTo || frame.kind === 'user_message') continue;
    replies.set(frame.replyTo, foldReplyFrame(replies.get(frame.replyTo), frame));
  }
  return replies;
}
