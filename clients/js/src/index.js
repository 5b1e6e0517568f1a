// Browser SDK for the relay wire protocol v1 (docs/PROTOCOL.md): one WebSocket per client,
// exactly-once in-order frames per thread across drops, token expiry and page reloads.
// A dependency-free standard ES module; the gateway serves it at /relay-client.js.
// This module is the public API: everything exported here, and nothing else, is the SDK.

import { CLIENT_DROP_CODE, DEFAULTS, RelayError, checkThread, defaultUrl, httpBaseOf, utf8Length } from './protocol.js';
import { CursorStore, Emitter, defaultIdGenerator, defaultReportError, defaultStorage, newSubscription } from './support.js';
import { connectionMethods } from './connection.js';
import { inboundMethods } from './inbound.js';
import { outboundMethods } from './outbound.js';

export { PROTOCOL, DEFAULTS, RelayError, closePolicy, backoffDelay, defaultUrl, httpBaseOf } from './protocol.js';
export { foldReplyFrame, foldReplies } from './fold.js';

export class RelayClient {
  /** @param {import('./relay-client.js').RelayClientOptions} options */
  constructor(options = {}) {
    this.url = options.url ?? defaultUrl();
    this.apiUrl = options.apiUrl ?? httpBaseOf(this.url);
    this._getToken = options.getToken ?? (async () => undefined);
    this._WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this._fetch = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : null);
    const timers = options.timers ?? {};
    this._setTimeout = timers.setTimeout ?? globalThis.setTimeout.bind(globalThis);
    this._clearTimeout = timers.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
    this._now = timers.now ?? (() => Date.now());
    this._random = options.random ?? Math.random;
    this._newId = options.generateId ?? defaultIdGenerator(this._random);
    this._cfg = {};
    for (const key of Object.keys(DEFAULTS)) this._cfg[key] = options[key] ?? DEFAULTS[key];
    const storage = options.storage === undefined ? defaultStorage() : options.storage;
    const scope = options.cursorScope ? `${options.cursorScope}|` : '';
    this._cursors = new CursorStore(storage, options.storagePrefix ?? `relay.cursor|${this.url}|${scope}`);
    this._window = options.window === undefined ? globalThis.window : options.window;
    this._document = options.document === undefined ? globalThis.document : options.document;
    this._events = new Emitter(options.reportError ?? defaultReportError);

    this._state = 'connecting'; // public state, see the `state` event
    this._phase = 'connecting'; // 'connecting' | 'open' (welcomed) | 'waiting' (retry timer) | 'closed'
    this._subs = new Map(); // thread -> subscription
    this._sends = new Map(); // id -> pending send, in send order
    this._cancels = []; // cancel commands waiting for a connection
    this._ws = null;
    this._conn = 0; // bumped per connection attempt; stale async results compare against it
    this._attempt = 0; // consecutive failed connections, drives the backoff
    this._overloaded = false;
    this._openedAt = null;
    this._lastHeard = 0;
    this._messagesHeard = 0; // counts inbound messages, so a probe can tell whether anything answered
    this._deadLimit = this._cfg.connectTimeoutMs;
    this._retryTimer = null;
    this._watchdog = null;
    this._probeTimer = null;
    this._ackTimer = null;
    this._nextTokenReason = 'connect';
    this.session = null;
    this.heartbeat = null;
    this.exp = null;

    this._onOnline = () => this._wake();
    this._onVisibility = () => {
      if (this._document?.visibilityState === 'visible') this._wake();
    };
    this._listenToEnvironment(true);
    // Start on the next microtask so handlers registered right after `new` see 'connecting'.
    Promise.resolve().then(() => this._connect('connect'));
  }

  /** The public connection state: 'connecting' | 'open' | 'reconnecting' | 'closed'. */
  get state() {
    return this._state;
  }

  on(type, handler) {
    this._events.on(type, handler);
    return () => this.off(type, handler);
  }

  off(type, handler) {
    this._events.off(type, handler);
  }

  /** Subscribe to a thread; resolves with `{epoch, head}` on `subscribed`. */
  subscribe(thread, options = {}) {
    try {
      checkThread(thread);
      if (options.after !== undefined && (!Number.isInteger(options.after) || options.after < 0)) {
        throw new RelayError('bad_request', `invalid after: ${options.after}`);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    if (this._phase === 'closed') return Promise.reject(new RelayError('closed', 'client is closed'));
    let sub = this._subs.get(thread);
    if (sub && options.after === undefined) {
      // Already subscribed: idempotent, so re-mounting a view never replays anything.
      if (sub.state === 'live') return Promise.resolve({ epoch: sub.epoch, head: sub.head });
      return new Promise((resolve, reject) => sub.waiters.push({ resolve, reject }));
    }
    if (!sub) {
      sub = newSubscription(thread, this._cursors.load(thread));
      this._subs.set(thread, sub);
    }
    if (options.after !== undefined) {
      sub.generation++; // a reload in progress is overtaken by this explicit cursor
      sub.seq = options.after;
      sub.acked = options.after;
      sub.head = options.after;
      if (options.after === 0) sub.epoch = null; // all retained frames, whatever the epoch
      this._cursors.save(thread, sub.epoch, sub.seq);
    }
    sub.state = 'subscribing';
    sub.requestedOn = 0; // a hello already sent carried the old cursor: ask again after welcome
    const answer = new Promise((resolve, reject) => sub.waiters.push({ resolve, reject }));
    if (this._phase === 'open') this._requestSubscribe(sub);
    return answer;
  }

  /** Stop receiving a thread. Its stored cursor is kept, so a later subscribe resumes. */
  unsubscribe(thread) {
    const sub = this._subs.get(thread);
    if (!sub) return;
    this._flushAcks();
    this._subs.delete(thread);
    this._clearTimer(sub.retryTimer);
    sub.generation++;
    for (const w of sub.waiters.splice(0)) w.reject(new RelayError('unsubscribed', `unsubscribed from ${thread}`));
    if (this._phase === 'open') this._transmit({ type: 'unsubscribe', thread });
  }

  /**
   * Send a user message; resolves with `{id, seq}` on `accepted`, resent with the same id after
   * reconnects. An `error` answering it (e.g. `rate_limited`) rejects with its code; only `internal` retries.
   */
  send(thread, text) {
    try {
      checkThread(thread);
      if (typeof text !== 'string' || text.length === 0) throw new RelayError('bad_request', 'text must be a non-empty string');
      if (utf8Length(text) > this._cfg.maxTextBytes) {
        throw new RelayError('too_large', `text is over ${this._cfg.maxTextBytes} UTF-8 bytes`);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    if (this._phase === 'closed') return Promise.reject(new RelayError('closed', 'client is closed'));
    const id = this._newId();
    return new Promise((resolve, reject) => {
      const pending = { id, thread, text, resolve, reject, attempt: 0, timer: null, cancelWhenAccepted: false };
      this._sends.set(id, pending);
      if (this._phase === 'open') this._transmitSend(pending);
    });
  }

  /** Stop the reply to send `replyTo`; queued until the send is accepted and a connection is open. */
  cancel(thread, replyTo) {
    checkThread(thread);
    const pending = this._sends.get(replyTo);
    if (pending) {
      pending.cancelWhenAccepted = true; // the server knows no reply before the send is journaled
      return;
    }
    const command = { type: 'cancel', thread, replyTo };
    if (this._phase === 'open') this._transmit(command);
    else this._cancels.push(command);
  }

  /** The last processed position of a thread: `{epoch, seq}` (seq 0 when nothing was processed). */
  cursor(thread) {
    const sub = this._subs.get(thread);
    if (sub) return { epoch: sub.epoch, seq: sub.seq };
    return this._cursors.load(thread) ?? { epoch: null, seq: 0 };
  }

  /**
   * Load a thread's history over HTTP (`GET /api/threads/{t}/frames`), paging until the head
   * (or `upTo`): `{thread, epoch, head, frames}`, frames de-duplicated and in seq order.
   */
  async history(thread, { after = 0, upTo = Infinity } = {}) {
    checkThread(thread);
    let restarts = 0;
    for (;;) {
      const bySeq = new Map();
      let epoch = null;
      let head = 0;
      let cursor = after;
      let epochChanged = false;
      for (;;) {
        const page = await this._fetchPage(thread, cursor);
        if (epoch !== null && page.epoch !== epoch) {
          epochChanged = true;
          break;
        }
        epoch = page.epoch;
        head = page.head;
        const frames = Array.isArray(page.frames) ? page.frames : [];
        for (const frame of frames) {
          if (Number.isInteger(frame?.seq) && frame.seq > after && frame.seq <= upTo && (frame.epoch ?? epoch) === epoch) {
            bySeq.set(frame.seq, frame);
          }
        }
        const last = frames.length ? frames[frames.length - 1].seq : cursor;
        if (frames.length === 0 || last >= head || last >= upTo || !(last > cursor)) break;
        cursor = last;
      }
      if (!epochChanged) {
        return { thread, epoch, head, frames: [...bySeq.values()].sort((a, b) => a.seq - b.seq) };
      }
      if (++restarts > this._cfg.historyMaxRestarts) {
        throw new RelayError('internal', `epoch of ${thread} kept changing during the reload`);
      }
    }
  }

  /** Open again after `close()` or a terminal close; a no-op while connected or connecting. */
  connect() {
    if (this._phase === 'waiting') this._retryNow();
    if (this._phase !== 'closed') return;
    this._attempt = 0;
    this._overloaded = false;
    this._phase = 'connecting';
    this._listenToEnvironment(true);
    this._connect('connect');
  }

  /** Close with 1000; no reconnect. Pending sends reject with code `closed`. */
  close() {
    if (this._phase === 'closed') return;
    this._flushAcks();
    const ws = this._dropSocket();
    try {
      ws?.close(1000, 'client closed');
    } catch (err) {
      this._events.reportError(err);
    }
    this._terminate(1000, 'client closed');
  }

  /** Debug aid: close the socket abruptly as a network failure would; the client reconnects and resumes. */
  _debugDrop() {
    const ws = this._ws;
    if (!ws) return false;
    ws.close(CLIENT_DROP_CODE, 'debug drop');
    return true;
  }
}

// The methods of the other parts, non-enumerable like the ones declared in the class.
for (const methods of [connectionMethods, inboundMethods, outboundMethods]) {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(methods))) {
    Object.defineProperty(RelayClient.prototype, name, { ...descriptor, enumerable: false });
  }
}
