// Browser SDK for the relay wire protocol v1 (docs/PROTOCOL.md): one WebSocket per client,
// exactly-once in-order frames per thread across drops, token expiry and page reloads.
// A dependency-free standard ES module; the gateway serves it at /relay-client.js.

/** The subprotocol offered on every connection. */
export const PROTOCOL = 'relay.v1';

/** Every tunable default; each can be overridden by the constructor option of the same name. */
export const DEFAULTS = Object.freeze({
  backoffBaseMs: 1000, // full-jitter window of the first retry: [0, 1 s)
  backoffCapMs: 16000, // no retry window grows beyond 16 s
  ackDelayMs: 50, // acknowledgements are batched for at most this long
  ackBatchSize: 32, // ...or until this many processed frames of a thread are unacknowledged
  deadSlackMs: 10000, // silence longer than heartbeat + this means the connection is dead
  heartbeatMs: 25000, // assumed server heartbeat until `welcome` tells the real one
  connectTimeoutMs: 15000, // upgrade + hello -> welcome must complete within this
  probeTimeoutMs: 5000, // after `online` / tab visible, a ping must be answered within this
  stableAfterMs: 10000, // after an overload close, backoff keeps growing until a connection lasts this long
  historyPageSize: 1000, // frames per HTTP history page (the server's maximum)
  historyMaxRestarts: 3, // a reload restarts when the epoch changes mid-way, at most this often
  maxTextBytes: 16384, // protocol limit of a `send` text, checked before sending
});

/** Close codes after which the server asks for a slower comeback (backoff keeps escalating). */
const OVERLOAD_CODES = new Set([1011, 1013, 4029]);
/**
 * Server error codes after which a command is retried with backoff instead of failing: only a
 * server-side failure. `rate_limited` and `limit_exceeded` fail that one call (CLIENT.md).
 */
const RETRYABLE_ERRORS = new Set(['internal']);
/** Close code the client uses when it gives up on a socket itself (dead or dropped). */
const CLIENT_DROP_CODE = 4000;
/** Close code reported in `state` details when the client detected a dead connection. */
const ABNORMAL_CLOSE = 1006;
const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const OPEN = 1; // WebSocket.OPEN, without depending on the global

/** An error with a protocol code (`bad_request`, `too_large`, `closed`, ...). */
export class RelayError extends Error {
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'RelayError';
    this.code = code;
    Object.assign(this, details);
  }
}

/**
 * What the client does after a close code (PROTOCOL.md, "Close codes"):
 * 'stop' for 1000 and 4500-4999, 'reauth' for 4401 (fresh token, then reconnect), else 'reconnect'.
 */
export function closePolicy(code) {
  if (code === 1000 || (code >= 4500 && code <= 4999)) return 'stop';
  if (code === 4401) return 'reauth';
  return 'reconnect';
}

/** Full-jitter exponential backoff: a uniform delay in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt, random, baseMs, capMs) {
  const window = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * window);
}

/** The same-origin WebSocket URL `ws(s)://host/ws` of the page. */
export function defaultUrl(location = globalThis.location) {
  if (!location) throw new RelayError('bad_request', 'RelayClient: `url` is required outside a browser');
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** The HTTP base of a WebSocket URL: ws://h:p/ws -> http://h:p (history API lives there). */
export function httpBaseOf(wsUrl) {
  const url = new URL(wsUrl);
  const scheme = url.protocol === 'wss:' || url.protocol === 'https:' ? 'https:' : 'http:';
  return `${scheme}//${url.host}${url.pathname.replace(/\/?ws\/?$/, '')}`;
}

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

/** Named event handlers, looked up at dispatch time so replacing one never needs a reconnect. */
class Emitter {
  constructor(reportError) {
    this.handlers = new Map();
    this.reportError = reportError;
  }

  on(type, handler) {
    if (typeof handler !== 'function') throw new TypeError(`handler for '${type}' must be a function`);
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(handler);
  }

  off(type, handler) {
    this.handlers.get(type)?.delete(handler);
  }

  emit(type, ...args) {
    const set = this.handlers.get(type);
    if (!set) return;
    for (const handler of [...set]) {
      if (!set.has(handler)) continue; // removed by an earlier handler of this same dispatch
      try {
        handler(...args);
      } catch (err) {
        this.reportError(err); // a throwing app handler must not break delivery to the others
      }
    }
  }
}

/** Cursors `{epoch, seq}` per thread in (session) storage, so a page reload resumes. */
class CursorStore {
  constructor(storage, prefix) {
    this.storage = storage;
    this.prefix = prefix;
  }

  load(thread) {
    try {
      const raw = this.storage?.getItem(this.prefix + thread);
      if (!raw) return null;
      const value = JSON.parse(raw);
      if (!Number.isInteger(value?.seq) || value.seq < 0) return null;
      return { epoch: typeof value.epoch === 'string' && value.epoch ? value.epoch : null, seq: value.seq };
    } catch {
      return null; // unreadable or corrupt: start from the beginning, which is always safe
    }
  }

  save(thread, epoch, seq) {
    try {
      this.storage?.setItem(this.prefix + thread, JSON.stringify({ epoch, seq }));
    } catch {
      // storage full or blocked: the in-memory cursor still holds, only a reload replays more
    }
  }
}

/** sessionStorage when the page may use it (it throws in some sandboxed/private contexts). */
function defaultStorage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** Client message ids: UUIDs from the platform, or random hex when it has none. */
function defaultIdGenerator(random) {
  if (typeof globalThis.crypto?.randomUUID === 'function') return () => globalThis.crypto.randomUUID();
  return () => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}

function defaultReportError(err) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(err);
  else console.error(err);
}

function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

function checkThread(thread) {
  if (typeof thread !== 'string' || !THREAD_ID.test(thread)) {
    throw new RelayError('bad_request', `invalid thread id: ${JSON.stringify(thread)}`);
  }
}

/**
 * One subscribed thread. `state`: 'subscribing' (request pending, or waiting for a connection),
 * 'live', 'resyncing' (a gap was seen, re-subscribe pending) or 'resetting' (reloading over HTTP).
 */
function newSubscription(thread, cursor) {
  return {
    thread,
    epoch: cursor?.epoch ?? null,
    seq: cursor?.seq ?? 0, // last processed seq: the cursor
    acked: cursor?.seq ?? 0, // last seq acknowledged to (or resumed with) the server
    head: cursor?.seq ?? 0,
    state: 'subscribing',
    requestedOn: 0, // connection number the last subscribe/resume went out on
    generation: 0, // bumped to discard a reload that was overtaken
    waiters: [],
    retryTimer: null,
    retryAttempt: 0, // consecutive retryable refusals of its subscribe
  };
}

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

  // ---- connection lifecycle -------------------------------------------------------------

  async _connect(tokenReason) {
    if (this._phase === 'closed') return; // close() was called before this attempt started
    this._clearTimer(this._retryTimer);
    this._retryTimer = null;
    const conn = ++this._conn;
    this._phase = 'connecting';
    this._openedAt = null;
    this._setState('connecting', { attempt: this._attempt });
    let token;
    try {
      token = await this._getToken({ reason: tokenReason });
    } catch (err) {
      if (conn !== this._conn || this._phase === 'closed') return;
      this._emitError('token_error', `getToken failed: ${err?.message ?? err}`);
      this._scheduleReconnect(ABNORMAL_CLOSE, 'getToken failed', tokenReason);
      return;
    }
    if (conn !== this._conn || this._phase === 'closed') return;
    let ws;
    try {
      ws = new this._WebSocket(this.url, [PROTOCOL]);
    } catch (err) {
      this._terminate(ABNORMAL_CLOSE, `cannot open a WebSocket to ${this.url}: ${err?.message ?? err}`);
      return;
    }
    this._ws = ws;
    this._lastHeard = this._now();
    this._armWatchdog(this._cfg.connectTimeoutMs);
    ws.onopen = () => {
      if (this._ws === ws) this._sendHello(token);
    };
    ws.onmessage = (event) => {
      if (this._ws === ws) this._onMessage(event.data);
    };
    ws.onclose = (event) => {
      if (this._ws === ws) this._onClose(event.code, event.reason);
    };
    ws.onerror = () => {}; // a close event always follows an error; handled there
  }

  _sendHello(token) {
    const resume = [];
    for (const sub of this._subs.values()) {
      if (sub.state === 'resetting') continue; // subscribes itself once the reload is done
      sub.state = 'subscribing';
      sub.requestedOn = this._conn;
      sub.acked = sub.seq;
      const entry = { thread: sub.thread, after: sub.seq };
      if (sub.epoch) entry.epoch = sub.epoch;
      resume.push(entry);
    }
    const hello = { type: 'hello', resume };
    if (token) hello.token = token;
    this._transmit(hello);
  }

  _onWelcome(msg) {
    this._phase = 'open';
    this._openedAt = this._now();
    this.session = msg.session ?? null;
    this.heartbeat = Number.isFinite(msg.heartbeat) && msg.heartbeat > 0 ? msg.heartbeat : this._cfg.heartbeatMs;
    this.exp = msg.exp ?? null;
    if (!this._overloaded) this._attempt = 0;
    this._armWatchdog(this.heartbeat + this._cfg.deadSlackMs);
    for (const sub of this._subs.values()) {
      if (sub.state === 'subscribing' && sub.requestedOn !== this._conn) this._requestSubscribe(sub);
    }
    for (const pending of this._sends.values()) this._transmitSend(pending);
    for (const command of this._cancels.splice(0)) this._transmit(command);
    this._setState('open', { session: this.session, heartbeat: this.heartbeat });
  }

  _onClose(code, reason) {
    this._dropSocket();
    const policy = closePolicy(code);
    if (policy === 'stop') {
      this._terminate(code, reason);
      return;
    }
    this._scheduleReconnect(code, reason, policy === 'reauth' ? 'unauthorized' : 'reconnect');
  }

  _scheduleReconnect(code, reason, tokenReason) {
    const lasted = this._openedAt === null ? -1 : this._now() - this._openedAt;
    if (lasted >= 0 && (!this._overloaded || lasted >= this._cfg.stableAfterMs)) {
      this._attempt = 0; // the last connection worked: start the backoff over
      this._overloaded = false;
    }
    if (OVERLOAD_CODES.has(code)) this._overloaded = true;
    const delay = backoffDelay(this._attempt, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
    this._attempt++;
    this._phase = 'waiting';
    this._openedAt = null;
    this._nextTokenReason = tokenReason;
    this._retryTimer = this._setTimeout(() => {
      this._retryTimer = null;
      this._connect(tokenReason);
    }, delay);
    this._setState('reconnecting', {
      code,
      reason: reason ?? '',
      delay,
      attempt: this._attempt,
      retryAt: this._now() + delay,
    });
  }

  _retryNow() {
    if (this._phase !== 'waiting') return;
    this._connect(this._nextTokenReason);
  }

  /** Browser came online or the tab became visible: retry now, or probe a connection that may have died asleep. */
  _wake() {
    if (this._phase === 'waiting') {
      this._retryNow();
      return;
    }
    if (this._phase !== 'open') return;
    if (this._checkAlive()) this._probe();
  }

  _probe() {
    const heardBefore = this._messagesHeard;
    this._transmit({ type: 'ping' });
    this._clearTimer(this._probeTimer);
    this._probeTimer = this._setTimeout(() => {
      this._probeTimer = null;
      if (this._ws && this._messagesHeard === heardBefore) this._declareDead('no answer to a ping');
    }, this._cfg.probeTimeoutMs);
  }

  _armWatchdog(limitMs) {
    this._deadLimit = limitMs;
    this._clearTimer(this._watchdog);
    this._watchdog = this._setTimeout(() => {
      this._watchdog = null;
      this._checkAlive();
    }, limitMs);
  }

  /** True when the connection has been heard from recently enough; declares it dead otherwise. */
  _checkAlive() {
    if (!this._ws) return false;
    const silent = this._now() - this._lastHeard;
    if (silent >= this._deadLimit) {
      this._declareDead(`no message for ${silent} ms`);
      return false;
    }
    this._clearTimer(this._watchdog);
    this._watchdog = this._setTimeout(() => {
      this._watchdog = null;
      this._checkAlive();
    }, this._deadLimit - silent);
    return true;
  }

  _declareDead(reason) {
    const ws = this._dropSocket();
    try {
      ws?.close(CLIENT_DROP_CODE, 'dead connection');
    } catch (err) {
      this._events.reportError(err);
    }
    this._scheduleReconnect(ABNORMAL_CLOSE, reason, 'reconnect');
  }

  /** Detach the current socket (its late events are ignored) and stop its timers. */
  _dropSocket() {
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
    }
    this._clearTimer(this._watchdog);
    this._clearTimer(this._probeTimer);
    this._clearTimer(this._ackTimer);
    this._watchdog = this._probeTimer = this._ackTimer = null;
    for (const sub of this._subs.values()) {
      if (sub.state !== 'resetting') sub.state = 'subscribing'; // resumed on the next connection
    }
    if (this._phase === 'open') this._phase = 'connecting';
    return ws;
  }

  _terminate(code, reason) {
    this._conn++; // results of a getToken or reload still in flight are discarded
    this._phase = 'closed';
    this._clearTimer(this._retryTimer);
    this._retryTimer = null;
    this._listenToEnvironment(false);
    const error = new RelayError('closed', `connection closed (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code });
    for (const pending of this._sends.values()) {
      this._clearTimer(pending.timer);
      pending.reject(error);
    }
    this._sends.clear();
    this._cancels = [];
    for (const sub of this._subs.values()) {
      this._clearTimer(sub.retryTimer);
      sub.retryTimer = null;
      sub.generation++;
      sub.state = 'subscribing'; // kept, so connect() resumes it
      for (const w of sub.waiters.splice(0)) w.reject(error);
    }
    this._setState('closed', { code, reason: reason ?? '' });
  }

  _listenToEnvironment(on) {
    const method = on ? 'addEventListener' : 'removeEventListener';
    this._window?.[method]?.('online', this._onOnline);
    this._document?.[method]?.('visibilitychange', this._onVisibility);
  }

  // ---- inbound messages -----------------------------------------------------------------

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
  }

  _onSubscribed(msg) {
    const sub = this._subs.get(msg.thread);
    if (!sub || sub.state === 'resetting') return; // an answer overtaken by a reset
    sub.epoch = msg.epoch;
    sub.head = Number.isInteger(msg.head) ? msg.head : sub.head;
    sub.state = 'live';
    sub.retryAttempt = 0;
    this._cursors.save(sub.thread, sub.epoch, sub.seq);
    for (const w of sub.waiters.splice(0)) w.resolve({ epoch: sub.epoch, head: sub.head });
  }

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
  }

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
  }

  _onReset(msg) {
    const sub = this._subs.get(msg.thread);
    if (!sub) return;
    sub.state = 'resetting';
    const generation = ++sub.generation;
    this._reload(sub, generation, 0);
  }

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
  }

  _onAccepted(msg) {
    const pending = this._sends.get(msg.id);
    if (!pending) return;
    this._sends.delete(msg.id);
    this._clearTimer(pending.timer);
    if (pending.cancelWhenAccepted) this.cancel(pending.thread, pending.id);
    pending.resolve({ id: msg.id, seq: msg.seq });
  }

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
  }

  _retrySend(pending) {
    const delay = backoffDelay(pending.attempt++, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
    this._clearTimer(pending.timer);
    pending.timer = this._setTimeout(() => {
      pending.timer = null;
      if (this._phase === 'open' && this._sends.get(pending.id) === pending) this._transmitSend(pending);
    }, delay);
  }

  _retrySubscribe(sub) {
    const delay = backoffDelay(sub.retryAttempt++, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
    this._clearTimer(sub.retryTimer);
    sub.retryTimer = this._setTimeout(() => {
      sub.retryTimer = null;
      if (this._phase === 'open' && this._subs.get(sub.thread) === sub && sub.state !== 'resetting') this._requestSubscribe(sub);
    }, delay);
  }

  async _refreshToken() {
    const conn = this._conn;
    let token;
    try {
      token = await this._getToken({ reason: 'expiring' });
    } catch (err) {
      // Nothing else to do: the server closes with 4401 at expiry and the reconnect asks again.
      this._emitError('token_error', `getToken failed on token_expiring: ${err?.message ?? err}`);
      return;
    }
    if (conn === this._conn && this._phase === 'open' && token) this._transmit({ type: 'refresh', token });
  }

  // ---- outbound -------------------------------------------------------------------------

  async _fetchPage(thread, after) {
    if (!this._fetch) throw new RelayError('internal', 'no fetch available to load history');
    const token = await this._getToken({ reason: 'http' });
    const url = `${this.apiUrl}/api/threads/${encodeURIComponent(thread)}/frames?after=${after}&limit=${this._cfg.historyPageSize}`;
    const response = await this._fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null; // reported below with the status
    }
    if (!response.ok || !body || typeof body !== 'object') {
      const details = { status: response.status };
      const retryAfterS = Number(response.headers?.get?.('Retry-After'));
      if (response.status === 429 && Number.isFinite(retryAfterS) && retryAfterS >= 0) details.retryAfterMs = retryAfterS * 1000;
      throw new RelayError(body?.code ?? 'internal', body?.message ?? `history request answered HTTP ${response.status}`, details);
    }
    return body;
  }

  _requestSubscribe(sub) {
    const command = { type: 'subscribe', thread: sub.thread, after: sub.seq };
    if (sub.epoch) command.epoch = sub.epoch;
    sub.requestedOn = this._conn;
    sub.acked = sub.seq; // the server starts this subscription's ack window at `after`
    this._transmit(command);
  }

  _transmitSend(pending) {
    this._clearTimer(pending.timer);
    pending.timer = null;
    this._transmit({ type: 'send', thread: pending.thread, id: pending.id, text: pending.text });
  }

  _scheduleAck(sub) {
    if (sub.seq - sub.acked >= this._cfg.ackBatchSize) {
      this._flushAcks();
    } else if (!this._ackTimer) {
      this._ackTimer = this._setTimeout(() => {
        this._ackTimer = null;
        this._flushAcks();
      }, this._cfg.ackDelayMs);
    }
  }

  /** Cumulative acks: one `ack {thread, seq}` per thread with processed, unacknowledged frames. */
  _flushAcks() {
    this._clearTimer(this._ackTimer);
    this._ackTimer = null;
    if (this._phase !== 'open') return;
    for (const sub of this._subs.values()) {
      if (sub.state !== 'resetting' && sub.seq > sub.acked) {
        sub.acked = sub.seq;
        this._transmit({ type: 'ack', thread: sub.thread, seq: sub.seq });
      }
    }
  }

  _transmit(message) {
    const ws = this._ws;
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  // ---- helpers --------------------------------------------------------------------------

  _setState(state, detail) {
    this._state = state;
    this._events.emit('state', state, detail);
  }

  _emitError(code, message, ref) {
    const error = new RelayError(code, message, ref === undefined ? {} : { ref });
    this._events.emit('error', error);
  }

  _clearTimer(timer) {
    if (timer !== null && timer !== undefined) this._clearTimeout(timer);
  }
}
