// Part of the demo page (demo.js): one thread's frames and the chat items derived from them.

/** One thread's frames (Map by seq) and the chat items derived from them. */
export class ThreadModel {
  constructor(thread) {
    this.thread = thread;
    this.bySeq = new Map();
    this.epoch = null;
  }

  /** Add frames of `epoch`; frames already known or of another epoch are ignored. True when something changed. */
  add(frames, epoch) {
    if (this.epoch !== null && epoch !== this.epoch) return false;
    this.epoch = epoch;
    let changed = false;
    for (const frame of frames) {
      if (!this.bySeq.has(frame.seq)) {
        this.bySeq.set(frame.seq, frame);
        changed = true;
      }
    }
    return changed;
  }

  /** A reset: the reloaded list replaces everything. */
  replace(frames, epoch) {
    this.bySeq.clear();
    this.epoch = null;
    this.add(frames, epoch);
  }

  /**
   * Chat items in seq order: one per user message, one per assistant reply (chunks after its last
   * restart concatenated, replaced by the final message), placed at the seq of the reply's latest frame.
   * Also: whether the assistant is typing, and the send ids whose reply is not finished.
   */
  view() {
    const frames = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    const users = new Map();
    const replies = new Map();
    const typing = new Set();
    for (const frame of frames) {
      const data = frame.data ?? {};
      if (frame.kind === 'user_message') {
        users.set(frame.id, { key: `u:${frame.seq}`, role: 'user', seq: frame.seq, kind: frame.kind, id: frame.id, text: data.text ?? '' });
        continue;
      }
      const replyTo = frame.replyTo ?? '';
      if (frame.kind === 'typing') {
        if (data.on) typing.add(replyTo);
        else typing.delete(replyTo);
        continue;
      }
      let reply = replies.get(replyTo);
      if (!reply) replies.set(replyTo, (reply = { key: `r:${replyTo}`, role: 'assistant', replyTo, text: '', done: false }));
      reply.seq = frame.seq;
      reply.kind = frame.kind;
      if (frame.kind === 'chunk') reply.text += data.text ?? '';
      else if (frame.kind === 'restart') reply.text = ''; // the reply starts over: never two wordings glued (the SDK's foldReplyFrame)
      else if (frame.kind === 'message') {
        reply.text = data.text ?? '';
        reply.done = true;
        reply.cancelled = data.cancelled === true;
      } else if (frame.kind === 'error') {
        reply.text = data.message || data.code || 'the assistant failed';
        reply.role = 'error';
        reply.done = true;
      }
    }
    const items = [...users.values(), ...replies.values()].sort((a, b) => a.seq - b.seq);
    let previous = null;
    for (const item of items) {
      // Quote the question when something else was said in between.
      if (item.replyTo && previous?.id !== item.replyTo) item.quote = users.get(item.replyTo)?.text ?? null;
      previous = item;
    }
    const unfinished = [...users.values()].filter((u) => !replies.get(u.id)?.done).map((u) => u.id);
    return { items, typing: typing.size > 0, unfinished };
  }
}
