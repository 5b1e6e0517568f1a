// What the server sends: frames in seq order per thread, subscriptions, resets and reloads,
// accepted sends, errors and their retries. Part of the browser SDK (see index.js).

import { RETRYABLE_ERRORS, RelayError, backoffDelay } from './protocol.js';

/** Methods of RelayClient (installed on its prototype by index.js); `this` is the client. */
export const inboundMethods = {
  _onMessage(data) {
    this._lastHeard = this._now();
    this._messagesHeard++;
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      this._emitError('bad_message', 'the server sent a message that is not JSON');
      return;
    }
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') {
      this._emitError('bad_message', 'the server sent a message without a type');
      return;
    }
    switch (msg.type) {
      case 'welcome':
        this._onWelcome(msg);
        break;
      case 'subscribed':
        this._onSubscribed(msg);
        break;
      case 'reset':
        this._onReset(msg);
        break;
      case 'frame':
        this._onFrame(msg);
        break;
      case 'compacted':
        this._onCompacted(msg);
        break;
      case 'accepted':
        this._onAccepted(msg);
        break;
      case 'error':
        this._onServerError(msg);
        break;
      case 'ping':
        this._transmit({ type: 'pong' });
        break;
      case 'token_expiring':
        this._refreshToken();
        break;
      case 'refreshed':
        this.exp = msg.exp ?? this.exp;
        break;
      default:
        break; // 'pong', 'unsubscribed' and types of later versions carry nothing to act on
    }
  },

  _onSubscribed(msg) {
    const sub = this._subs.get(msg.thread);
    if (!sub || sub.state === 'resetting') return; // an answer overtaken by a reset
    sub.epoch = msg.epoch;
    sub.head = Number.isInteger(msg.head) ? msg.head : sub.head;
    sub.state = 'live';
    sub.retryAttempt = 0;
    this._cursors.save(sub.thread, sub.epoch, sub.seq);
    for (const w of sub.waiters.splice(0)) w.resolve({ epoch: sub.epoch, head: sub.head });
  },

  _onFrame(frame) {
    const sub = this._subs.get(frame.thread);
    if (!sub || sub.state === 'resetting' || !Number.isInteger(frame.seq)) return;
    if (sub.epoch !== null && frame.epoch !== sub.epoch) return; // from a journal that was since replaced
    if (frame.seq <= sub.seq) return; // duplicate: already processed
    if (frame.seq > sub.seq + 1) {
      // Gap: ask again from the cursor; frames beyond it are dropped until the answer arrives.
      if (sub.state === 'live') {
        sub.state = 'resyncing';
        this._requestSubscribe(sub);
      }
      return;
    }
    sub.epoch = frame.epoch ?? sub.epoch;
    sub.seq = frame.seq;
    if (sub.head < frame.seq) sub.head = frame.seq;
    this._cursors.save(sub.thread, sub.epoch, sub.seq);
    this._events.emit('frame', frame);
    this._scheduleAck(sub);
  },

  /**
   * Seqs `from..to` were an ended reply's token frames, dropped by the server's compaction: they
   * count as processed (cursor and ack move to `to`), never as a gap. The reply's text comes
   * with its `message` frame, which follows.
   */
  _onCompacted(msg) {
    const sub = this._subs.get(msg.thread);
    if (!sub || sub.state === 'resetting' || !Number.isInteger(msg.from) || !Number.isInteger(msg.to)) return;
    if (sub.epoch !== null && msg.epoch !== sub.epoch) return;
    if (msg.to <= sub.seq) return; // nothing new
    if (msg.from > sub.seq + 1) {
      if (sub.state === 'live') {
        sub.state = 'resyncing';
        this._requestSubscribe(sub);
      }
      return;
    }
    sub.epoch = msg.epoch ?? sub.epoch;
    sub.seq = msg.to;
    if (sub.head < msg.to) sub.head = msg.to;
    this._cursors.save(sub.thread, sub.epoch, sub.seq);
    this._events.emit('compacted', { thread: msg.thread, epoch: sub.epoch, from: msg.from, to: msg.to });
    this._scheduleAck(sub);
  },

  _onReset(msg) {
    const sub = this._subs.get(msg.thread);
    if (!sub) return;
    sub.state = 'resetting';
    const generation = ++sub.generation;
    this._reload(sub, generation, 0);
  },

  /** Reload a reset thread over HTTP, emit `reset`, then subscribe again with the new epoch. */
  async _reload(sub, generation, attempt) {
    const current = () => sub.generation === generation && this._subs.get(sub.thread) === sub;
    let page;
    try {
      page = await this.history(sub.thread);
    } catch (err) {
      if (!current()) return;
      this._emitError(err?.code ?? 'internal', `reload of ${sub.thread} failed: ${err?.message ?? err}`, sub.thread);
      // A 429 says when to come back; never sooner than that, whatever the jitter drew.
      const backoff = backoffDelay(attempt, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
      const delay = Math.max(backoff, err?.retryAfterMs ?? 0);
      sub.retryTimer = this._setTimeout(() => {
        sub.retryTimer = null;
        if (current()) this._reload(sub, generation, attempt + 1);
      }, delay);
      return;
    }
    if (!current()) return;
    const last = page.frames.length ? page.frames[page.frames.length - 1].seq : 0;
    sub.epoch = page.epoch;
    sub.seq = last;
    sub.acked = last;
    sub.head = page.head;
    sub.state = 'subscribing';
    this._cursors.save(sub.thread, sub.epoch, sub.seq);
    this._events.emit('reset', { thread: sub.thread, epoch: page.epoch, frames: page.frames });
    if (this._phase === 'open' && current()) this._requestSubscribe(sub);
  },

  _onAccepted(msg) {
    const pending = this._sends.get(msg.id);
    if (!pending) return;
    this._sends.delete(msg.id);
    this._clearTimer(pending.timer);
    if (pending.cancelWhenAccepted) this.cancel(pending.thread, pending.id);
    pending.resolve({ id: msg.id, seq: msg.seq });
  },

  _onServerError(msg) {
    const code = typeof msg.code === 'string' ? msg.code : 'internal';
    const message = typeof msg.message === 'string' ? msg.message : code;
    const pending = msg.ref != null ? this._sends.get(msg.ref) : undefined;
    if (pending) {
      if (RETRYABLE_ERRORS.has(code)) {
        this._retrySend(pending);
      } else {
        this._sends.delete(pending.id);
        this._clearTimer(pending.timer);
        pending.reject(new RelayError(code, message, { ref: msg.ref }));
      }
      return;
    }
    // A subscribe, a resync or a `hello.resume` entry answered with an error (ref = its thread).
    const sub = msg.ref != null ? this._subs.get(msg.ref) : undefined;
    if (sub && (sub.state === 'subscribing' || sub.state === 'resyncing')) {
      if (RETRYABLE_ERRORS.has(code)) {
        this._retrySubscribe(sub);
        this._emitError(code, message, msg.ref);
        return;
      }
      // Refused for good (e.g. limit_exceeded): not resumed on later connections; the stored cursor stays.
      this._subs.delete(sub.thread);
      this._clearTimer(sub.retryTimer);
      sub.retryTimer = null;
      sub.generation++;
      const error = new RelayError(code, message, { ref: msg.ref, thread: sub.thread });
      for (const w of sub.waiters.splice(0)) w.reject(error);
      this._events.emit('error', error); // the same object, so a listener can tell it from the rejection
      return;
    }
    this._emitError(code, message, msg.ref);
  },

  _retrySend(pending) {
    const delay = backoffDelay(pending.attempt++, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
    this._clearTimer(pending.timer);
    pending.timer = this._setTimeout(() => {
      pending.timer = null;
      if (this._phase === 'open' && this._sends.get(pending.id) === pending) this._transmitSend(pending);
    }, delay);
  },

  _retrySubscribe(sub) {
    const delay = backoffDelay(sub.retryAttempt++, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
    this._clearTimer(sub.retryTimer);
    sub.retryTimer = this._setTimeout(() => {
      sub.retryTimer = null;
      if (this._phase === 'open' && this._subs.get(sub.thread) === sub && sub.state !== 'resetting') this._requestSubscribe(sub);
    }, delay);
  },
};
