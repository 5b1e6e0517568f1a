// A small in-process stand-in for the relay, speaking enough of docs/PROTOCOL.md to exercise the
// k6 scripts: hello/resume, subscribe, send (idempotent) with scripted replies, ack, ping/pong,
// refresh and token_expiring, drains (1012) and the history API. `faults` injects the delivery
// bugs the scripts must catch; each fault fires once per server.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { Journal } from './journal.mjs';
import { verifyHs256 } from './jwt.mjs';

const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SUBPROTOCOL = 'relay.v1';

export const FAULTS = ['drop', 'dup', 'reorder', 'resume-off-by-one', 'resume-skip'];

/**
 * options: { secret, chunks = 4, chunkDelayMs = 10, heartbeatMs = 25000, tokenExpiringMs = 60000,
 *            fault: { kind, seq } | null, drainEveryMs = 0, port = 0, retentionFrames = 0 }
 * retentionFrames > 0 compacts ended replies' token frames older than that many seqs: replays
 * send `compacted` runs for them and the history API leaves them out.
 */
export async function startFakeRelay(options) {
  const opts = { chunks: 4, chunkDelayMs: 10, heartbeatMs: 25_000, tokenExpiringMs: 60_000, fault: null, drainEveryMs: 0, port: 0, ...options };
  const journal = new Journal(opts);
  const stats = { connections: 0, hellos: 0, resumes: 0, subscribes: 0, cursorSubscribes: 0, sends: 0, acks: 0, refreshes: 0, drains: 0, faultsFired: 0, compactedRuns: 0 };
  const fault = { ...(opts.fault ?? {}), fired: false, held: null };
  const connections = new Set();

  const http = createServer((req, res) => handleHttp(req, res, opts, journal));
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false) });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://fake');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    if (url.pathname !== '/ws' || (offered.length > 0 && !offered.includes(SUBPROTOCOL))) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      stats.connections++;
      const conn = new Connection(ws, req, { opts, journal, stats, fault });
      connections.add(conn);
      ws.on('close', () => { conn.dispose(); connections.delete(conn); });
    });
  });
  journal.listeners.add((sub, frame) => { for (const c of connections) c.onAppended(sub, frame); });

  const drainTimer = opts.drainEveryMs > 0 ? setInterval(() => {
    stats.drains++;
    for (const c of connections) c.ws.close(1012, 'draining');
  }, opts.drainEveryMs) : null;

  await new Promise((resolve) => http.listen(opts.port, '127.0.0.1', resolve));
  const { port } = http.address();
  return {
    url: `ws://127.0.0.1:${port}`,
    stats,
    async close() {
      if (drainTimer) clearInterval(drainTimer);
      for (const c of connections) c.ws.terminate();
      wss.close();
      const closed = new Promise((resolve) => http.close(resolve));
      http.closeAllConnections(); // keep-alive HTTP clients must not hold the close up
      await closed;
    },
  };
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handleHttp(req, res, opts, journal) {
  const url = new URL(req.url, 'http://fake');
  if (url.pathname === '/healthz' || url.pathname === '/readyz') { res.writeHead(200); res.end('ok'); return; }
  const match = /^\/api\/threads\/([^/]+)\/frames$/.exec(url.pathname);
  if (!match || req.method !== 'GET') { json(res, 404, { code: 'not_found', message: 'no such resource' }); return; }
  const claims = verifyHs256((req.headers.authorization ?? '').replace(/^Bearer /, ''), opts.secret);
  if (!claims) { json(res, 401, { code: 'unauthorized', message: 'bad token' }); return; }
  const thread = decodeURIComponent(match[1]);
  if (!THREAD_ID.test(thread)) { json(res, 400, { code: 'bad_request', message: 'thread id' }); return; }
  const after = Number(url.searchParams.get('after') ?? 0);
  const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 100));
  const state = journal.thread(claims.sub, thread);
  json(res, 200, { thread, epoch: state.epoch, head: journal.head(state), frames: journal.retained(state).filter((f) => f.seq > after).slice(0, limit) });
}

class Connection {
  constructor(ws, req, { opts, journal, stats, fault }) {
    Object.assign(this, { ws, opts, journal, stats, fault });
    this.headerToken = (req.headers.authorization ?? '').replace(/^Bearer /, '') || null;
    this.claims = null;
    this.subs = new Map(); // thread -> { sent }
    this.lastSent = Date.now();
    this.lastHeard = Date.now();
    this.timers = [setTimeout(() => { if (!this.claims) ws.close(4003, 'no hello'); }, 5000)];
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
  }

  dispose() {
    for (const t of this.timers) clearTimeout(t);
  }

  send(message) {
    this.lastSent = Date.now();
    this.ws.send(JSON.stringify(message));
  }

  error(code, ref) {
    this.send({ type: 'error', code, message: code, ref });
  }

  onMessage(data, isBinary) {
    this.lastHeard = Date.now();
    if (isBinary) { this.ws.close(4500, 'binary'); return; }
    let m;
    try { m = JSON.parse(data.toString('utf8')); } catch { this.ws.close(4500, 'not json'); return; }
    if (m === null || typeof m !== 'object' || typeof m.type !== 'string') { this.ws.close(4500, 'no type'); return; }
    if (!this.claims && m.type !== 'hello') { this.ws.close(4500, 'hello first'); return; }
    switch (m.type) {
      case 'hello': this.hello(m); break;
      case 'subscribe':
        if (m.after > 0) this.stats.cursorSubscribes++;
        this.subscribe(m.thread, m.epoch, m.after);
        break;
      case 'unsubscribe': this.subs.delete(m.thread); this.send({ type: 'unsubscribed', thread: m.thread }); break;
      case 'send': this.sendCommand(m); break;
      case 'ack': this.stats.acks++; break;
      case 'refresh': this.refresh(m.token); break;
      case 'ping': this.send({ type: 'pong' }); break;
      case 'pong': break;
      case 'cancel': this.error('not_found', m.replyTo); break;
      default: this.error('bad_request', m.thread);
    }
  }

  hello(m) {
    if (this.claims) { this.error('bad_request'); return; }
    const claims = verifyHs256(m.token ?? this.headerToken, this.opts.secret);
    if (!claims) { this.ws.close(4401, 'bad token'); return; }
    this.stats.hellos++;
    this.claims = claims;
    this.send({ type: 'welcome', session: randomUUID(), heartbeat: this.opts.heartbeatMs, exp: claims.exp });
    this.scheduleExpiry();
    this.timers.push(setInterval(() => this.heartbeat(), Math.max(20, this.opts.heartbeatMs / 5)));
    for (const entry of m.resume ?? []) {
      this.stats.resumes++;
      this.subscribe(entry.thread, entry.epoch, entry.after);
    }
  }

  heartbeat() {
    const now = Date.now();
    if (now - this.lastHeard > 2 * this.opts.heartbeatMs) { this.ws.close(4001, 'heartbeat timeout'); return; }
    if (now - this.lastSent >= this.opts.heartbeatMs || now - this.lastHeard >= this.opts.heartbeatMs) this.send({ type: 'ping' });
  }

  scheduleExpiry() {
    const expMs = this.claims.exp * 1000;
    clearTimeout(this.expiring);
    clearTimeout(this.expired);
    this.expiring = setTimeout(() => this.send({ type: 'token_expiring', exp: this.claims.exp }),
      Math.max(0, expMs - this.opts.tokenExpiringMs - Date.now()));
    this.expired = setTimeout(() => this.ws.close(4401, 'token expired'), Math.max(0, expMs + 5000 - Date.now()));
    this.timers.push(this.expiring, this.expired);
  }

  refresh(token) {
    const claims = verifyHs256(token, this.opts.secret);
    if (!claims || claims.sub !== this.claims.sub) { this.ws.close(4401, 'bad refresh'); return; }
    this.stats.refreshes++;
    this.claims = claims;
    this.scheduleExpiry();
    this.send({ type: 'refreshed', exp: claims.exp });
  }

  subscribe(thread, epoch, after) {
    if (typeof thread !== 'string' || !THREAD_ID.test(thread) || (after !== undefined && !(Number.isInteger(after) && after >= 0))) {
      this.error('bad_request', thread);
      return;
    }
    this.stats.subscribes++;
    const state = this.journal.thread(this.claims.sub, thread);
    const head = this.journal.head(state);
    const reason = epoch !== undefined && epoch !== state.epoch ? 'epoch' : after > head ? 'ahead' : null;
    if (reason) { this.subs.delete(thread); this.send({ type: 'reset', thread, epoch: state.epoch, head, reason }); return; }
    this.send({ type: 'subscribed', thread, epoch: state.epoch, head });
    const sub = { sent: head, skipFirst: false };
    const from = after === undefined ? head : this.resumeFault(after, sub);
    const replay = () => {
      this.subs.set(thread, sub);
      this.transmit(sub, this.withRuns(state, from, this.journal.retained(state).filter((f) => f.seq > from)));
    };
    // With compaction on, a resume waits for the replies in progress to end, so that it crosses a
    // compacted run every time (frames journaled meanwhile come with the replay).
    if (this.journal.retentionFrames > 0 && after !== undefined) state.queue.then(() => setImmediate(replay));
    else replay();
  }

  /** The replay after `from`: each run of seqs missing between the frames as one `compacted` notice. */
  withRuns(state, from, frames) {
    const out = [];
    let next = from + 1;
    for (const frame of frames) {
      if (frame.seq > next) {
        out.push({ type: 'compacted', thread: state.thread, epoch: state.epoch, from: next, to: frame.seq - 1, seq: frame.seq - 1 });
        this.stats.compactedRuns++;
      }
      out.push(frame);
      next = frame.seq + 1;
    }
    return out;
  }

  /** Where a replay starts: after `after`, unless a resume fault replays one too many or skips one. */
  resumeFault(after, sub) {
    const f = this.fault;
    if (after === 0 || f.fired) return after;
    if (f.kind === 'resume-off-by-one') { f.fired = true; this.stats.faultsFired++; return after - 1; }
    if (f.kind === 'resume-skip') { f.fired = true; this.stats.faultsFired++; sub.skipFirst = true; }
    return after;
  }

  sendCommand(m) {
    if (typeof m.thread !== 'string' || !THREAD_ID.test(m.thread) || typeof m.id !== 'string' || typeof m.text !== 'string' || m.text === '') {
      this.error('bad_request', m.id);
      return;
    }
    this.stats.sends++;
    const seq = this.journal.send(this.claims.sub, m.thread, m.id, m.text);
    this.send({ type: 'accepted', id: m.id, thread: m.thread, seq });
  }

  onAppended(sub, frame) {
    const s = this.claims?.sub === sub ? this.subs.get(frame.thread) : undefined;
    if (!s || frame.seq !== s.sent + 1) return;
    s.sent = frame.seq;
    this.transmit(s, [frame]);
  }

  /** Writes frames in order, except where the configured delivery fault strikes. */
  transmit(sub, frames) {
    const f = this.fault;
    for (const frame of frames) {
      if (sub.skipFirst) { sub.skipFirst = false; continue; } // the first frame after the cursor, replayed or live
      if (!f.fired && frame.seq === f.seq && ['drop', 'dup', 'reorder'].includes(f.kind)) {
        f.fired = true;
        this.stats.faultsFired++;
        if (f.kind === 'drop') continue;
        if (f.kind === 'dup') { this.send(frame); this.send(frame); continue; }
        f.held = { conn: this, frame };
        continue;
      }
      this.send(frame);
      if (f.held && f.held.conn === this && frame.seq === f.held.frame.seq + 1) {
        this.send(f.held.frame);
        f.held = null;
      }
    }
    sub.sent = Math.max(sub.sent, frames.length ? frames[frames.length - 1].seq : sub.sent);
  }
}
