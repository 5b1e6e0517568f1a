// Test doubles for RelayClient: a virtual clock, a scripted WebSocket, a memory storage,
// a scripted fetch and an event target standing in for window/document.
import { RelayClient } from '../relay-client.js';

/** Virtual time: timers run only when the test advances the clock. */
export class FakeClock {
  constructor(start = 1_000_000) {
    this.time = start;
    this.timers = new Map();
    this.nextId = 1;
  }

  now = () => this.time;

  setTimeout = (fn, ms = 0) => {
    const id = this.nextId++;
    this.timers.set(id, { fn, at: this.time + Math.max(0, ms) });
    return id;
  };

  clearTimeout = (id) => {
    this.timers.delete(id);
  };

  /** Delays of the timers now pending, relative to the current time. */
  pendingDelays() {
    return [...this.timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Move time forward, running every timer that falls due, in due order; microtasks settle between them. */
  async advance(ms) {
    const end = this.time + ms;
    for (;;) {
      await settle();
      let nextId = null;
      let next = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (next === null || timer.at < next.at)) {
          next = timer;
          nextId = id;
        }
      }
      if (next === null) break;
      this.timers.delete(nextId);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
    await settle();
  }
}

/** Let pending promise reactions (getToken, fetch, ...) run. */
export async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

/** A WebSocket whose server side the test scripts. Every instance is recorded in `FakeWebSocket.instances`. */
export function fakeWebSocketClass() {
  class FakeWebSocket {
    static instances = [];
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;

    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      FakeWebSocket.instances.push(this);
    }

    static get last() {
      return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('send on a socket that is not open');
      this.sent.push(JSON.parse(data));
    }

    /** Client-initiated close; the close event follows only when the test calls `serverClose`. */
    close(code, reason) {
      this.closedWith = { code, reason };
      this.readyState = 2;
    }

    // ---- server side, driven by tests ----
    serverOpen() {
      this.readyState = 1;
      this.onopen?.({});
    }

    serverSend(message) {
      this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
    }

    serverClose(code, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason, wasClean: code !== 1006 });
    }

    /** Messages the client sent, optionally only those of one type. */
    messages(type) {
      return type ? this.sent.filter((m) => m.type === type) : this.sent;
    }
  }
  return FakeWebSocket;
}

export function memoryStorage() {
  const map = new Map();
  return {
    map,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
  };
}

/** Minimal EventTarget for window/document; `visibilityState` is settable. */
export class FakeTarget {
  constructor() {
    this.listeners = new Map();
    this.visibilityState = 'visible';
  }

  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
  }

  removeEventListener(type, fn) {
    this.listeners.get(type)?.delete(fn);
  }

  dispatch(type) {
    for (const fn of [...(this.listeners.get(type) ?? [])]) fn({ type });
  }

  count(type) {
    return this.listeners.get(type)?.size ?? 0;
  }
}

/** A deterministic random source cycling through the given values. */
export function sequenceRandom(values) {
  let i = 0;
  return () => values[i++ % values.length];
}

export const URL = 'ws://relay.test/ws';

/** A client wired to fakes, plus handles on them. `options` overrides any constructor option. */
export function harness(options = {}) {
  const clock = new FakeClock();
  const WebSocket = fakeWebSocketClass();
  const storage = options.storage ?? memoryStorage();
  const window = new FakeTarget();
  const document = new FakeTarget();
  const tokens = [];
  let tokenCounter = 0;
  const events = { frame: [], state: [], reset: [], error: [] };
  let ids = 0;
  const client = new RelayClient({
    url: URL,
    getToken: async (ctx) => {
      tokens.push(ctx?.reason);
      return `token-${++tokenCounter}`;
    },
    WebSocket,
    storage,
    timers: clock,
    random: () => 0.5,
    generateId: () => `m${++ids}`,
    window,
    document,
    fetch: async () => {
      throw new Error('no fetch scripted');
    },
    reportError: (err) => events.error.push(err),
    ...options,
  });
  client.on('frame', (f) => events.frame.push(f));
  client.on('state', (s, d) => events.state.push({ s, ...d }));
  client.on('reset', (r) => events.reset.push(r));
  client.on('error', (e) => events.error.push(e));
  return { client, clock, WebSocket, storage, window, document, tokens, events };
}

/** Run the handshake on the latest socket: open, hello recorded, welcome sent. Returns the socket. */
export async function connect(h, welcome = {}) {
  await settle();
  const ws = h.WebSocket.last;
  ws.serverOpen();
  ws.serverSend({ type: 'welcome', session: 's1', heartbeat: 25000, exp: 2_000_000_000, ...welcome });
  await settle();
  return ws;
}

export function frame(thread, seq, extra = {}) {
  return { type: 'frame', thread, epoch: 'e1', seq, id: `f${seq}`, kind: 'chunk', ts: 1, data: { text: `t${seq}`, index: seq }, ...extra };
}
