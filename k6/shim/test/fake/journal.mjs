// In-memory threads of the fake relay: seq per (sub, thread), idempotent sends, one reply at a time.
import { randomUUID } from 'node:crypto';

const CONVERSATION = new Set(['user_message', 'message', 'error']);

export class Journal {
  constructor({ chunks, chunkDelayMs, retentionFrames = 0 }) {
    this.chunks = chunks;
    this.chunkDelayMs = chunkDelayMs;
    this.retentionFrames = retentionFrames; // > 0: token frames of ended replies older than this many seqs are compacted
    this.threads = new Map();
    this.listeners = new Set(); // (sub, frame) => void
  }

  thread(sub, thread) {
    const key = `${sub}\u0000${thread}`;
    if (!this.threads.has(key)) {
      this.threads.set(key, { sub, thread, epoch: randomUUID().slice(0, 8), frames: [], sends: new Map(), queue: Promise.resolve() });
    }
    return this.threads.get(key);
  }

  head(state) {
    return state.frames.length;
  }

  /** The frames kept (PROTOCOL.md "Compaction"): all of them unless `retentionFrames` is set. */
  retained(state) {
    if (this.retentionFrames <= 0) return state.frames;
    const cut = state.frames.length - this.retentionFrames;
    const ended = new Set(state.frames.filter((f) => f.kind === 'message' || f.kind === 'error').map((f) => f.replyTo));
    return state.frames.filter((f) => f.seq > cut || CONVERSATION.has(f.kind) || !ended.has(f.replyTo));
  }

  append(state, fields) {
    const frame = { type: 'frame', thread: state.thread, epoch: state.epoch, seq: state.frames.length + 1, ts: Date.now(), ...fields };
    state.frames.push(frame);
    for (const listener of this.listeners) listener(state.sub, frame);
    return frame;
  }

  /** Journals a send once per id and queues its reply; returns the user_message seq. */
  send(sub, thread, id, text) {
    const state = this.thread(sub, thread);
    if (state.sends.has(id)) return state.sends.get(id);
    const frame = this.append(state, { id, kind: 'user_message', data: { text } });
    state.sends.set(id, frame.seq);
    state.queue = state.queue.then(() => this.reply(state, id, text));
    return frame.seq;
  }

  async reply(state, replyTo, text) {
    const pause = () => new Promise((r) => setTimeout(r, this.chunkDelayMs));
    let index = 0;
    const emit = (kind, data) => this.append(state, { id: `${replyTo}:${index++}`, kind, replyTo, data });
    emit('typing', { on: true });
    if (text.startsWith('/fail')) {
      await pause();
      emit('error', { code: 'engine_error', message: 'scripted failure' });
    } else {
      const reply = `echo: ${text}`;
      const size = Math.ceil(reply.length / this.chunks);
      for (let i = 0; i * size < reply.length; i++) {
        await pause();
        emit('chunk', { text: reply.slice(i * size, (i + 1) * size), index: i });
      }
      emit('message', { text: reply });
    }
    emit('typing', { on: false });
  }
}
