// k6/ws: connect(url, params, callback) blocks the VU until the socket closes, running the
// socket's event handlers and timers on the VU thread in between, as k6's local event loop does.
import { builtin } from '../lib/builtin-metrics.mjs';
import { call, dropWhere, post, waitFor } from '../lib/vu-channel.mjs';

const CONNECT_TIMEOUT_MS = 60_000; // k6's dialer gives up about this late too
const GOING_AWAY = 1001; // k6's default code for socket.close()

let nextSocketId = 1;
const liveSockets = new Set();
// Events that race a socket's close (e.g. the server's close frame after ours) are dropped.
dropWhere((m) => m.kind === 'ws' && !liveSockets.has(m.sid));

class Socket {
  constructor(sid, tags) {
    this.sid = sid;
    this.tags = tags;
    this.handlers = new Map();
    this.timers = [];
    this.closed = false;
  }

  on(event, handler) {
    if (typeof handler !== 'function') return;
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(handler);
  }

  emit(event, ...args) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  send(data) {
    if (this.closed) return;
    post({ op: 'ws.send', sid: this.sid, data: String(data) });
    builtin().wsMsgsSent.add(1, this.tags);
  }

  ping() {
    if (!this.closed) post({ op: 'ws.ping', sid: this.sid });
  }

  close(code = GOING_AWAY) {
    if (this.closed) return;
    post({ op: 'ws.close', sid: this.sid, code });
    this.finish(code);
  }

  setTimeout(fn, ms) {
    this.timers.push({ fn, at: Date.now() + Number(ms), every: 0 });
  }

  setInterval(fn, ms) {
    const every = Math.max(1, Number(ms));
    this.timers.push({ fn, at: Date.now() + every, every });
  }

  finish(code) {
    if (this.closed) return;
    this.closed = true;
    this.timers = [];
    this.emit('close', code);
  }

  nextDeadline() {
    return this.timers.reduce((min, t) => Math.min(min, t.at), Infinity);
  }

  runDueTimers() {
    const now = Date.now();
    for (const timer of this.timers.filter((t) => t.at <= now)) {
      if (this.closed) return;
      if (timer.every > 0) timer.at += timer.every * Math.max(1, Math.ceil((now - timer.at + 1) / timer.every));
      else this.timers.splice(this.timers.indexOf(timer), 1);
      timer.fn();
    }
  }

  dispatch(event) {
    switch (event.type) {
      case 'message':
        builtin().wsMsgsReceived.add(1, this.tags);
        this.emit('message', event.data);
        break;
      case 'binaryMessage':
        builtin().wsMsgsReceived.add(1, this.tags);
        this.emit('binaryMessage', event.data);
        break;
      case 'ping': this.emit('ping'); break;
      case 'pong': this.emit('pong'); break;
      case 'error': this.emit('error', { error: () => event.message }); break;
      case 'close': this.finish(event.code); break;
      default: throw new Error(`unknown socket event ${event.type}`);
    }
  }
}

/** Splits the subprotocol out of the headers: the ws client must know it asked for one. */
function splitHeaders(headers) {
  const rest = {};
  let protocols = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'sec-websocket-protocol') protocols = String(value).split(',').map((p) => p.trim()).filter(Boolean);
    else rest[name] = String(value);
  }
  return { headers: rest, protocols };
}

export function connect(url, paramsOrCallback, maybeCallback) {
  const callback = typeof paramsOrCallback === 'function' ? paramsOrCallback : maybeCallback;
  const params = typeof paramsOrCallback === 'function' ? {} : paramsOrCallback ?? {};
  if (typeof callback !== 'function') throw new Error('last argument to ws.connect must be a function');
  const sid = nextSocketId++;
  liveSockets.add(sid);
  const tags = { url, ...(params.tags ?? {}) };
  const started = Date.now();
  const opened = call('ws.open', { sid, url, ...splitHeaders(params.headers) }, CONNECT_TIMEOUT_MS);
  if (!opened.ok) {
    liveSockets.delete(sid);
    return { url, status: opened.status ?? 0, headers: opened.headers ?? {}, body: opened.body ?? '', error: opened.error };
  }
  builtin().wsConnecting.add(Date.now() - started, tags);
  builtin().wsSessions.add(1, tags);
  const socket = new Socket(sid, tags);
  const isMine = (m) => m.kind === 'ws' && m.sid === sid;
  try {
    callback(socket);
    socket.emit('open');
    while (!socket.closed) {
      const event = waitFor(isMine, socket.nextDeadline());
      if (event) socket.dispatch(event);
      socket.runDueTimers();
    }
  } finally {
    if (!socket.closed) post({ op: 'ws.close', sid, code: GOING_AWAY });
    liveSockets.delete(sid);
    dropWhere((m) => m.kind === 'ws' && !liveSockets.has(m.sid));
    builtin().wsSessionDuration.add(Date.now() - started, tags);
  }
  return { url, status: opened.status, headers: opened.headers, body: '', error: '' };
}

export default { connect };
