// The small helpers a RelayClient is made of: events, stored cursors, platform defaults, the
// record of one subscription. Part of the browser SDK (see index.js).

/** Named event handlers, looked up at dispatch time so replacing one never needs a reconnect. */
export class Emitter {
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
export class CursorStore {
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
export function defaultStorage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** Client message ids: UUIDs from the platform, or random hex when it has none. */
export function defaultIdGenerator(random) {
  if (typeof globalThis.crypto?.randomUUID === 'function') return () => globalThis.crypto.randomUUID();
  return () => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}

export function defaultReportError(err) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(err);
  else console.error(err);
}


/**
 * One subscribed thread. `state`: 'subscribing' (request pending, or waiting for a connection),
 * 'live', 'resyncing' (a gap was seen, re-subscribe pending) or 'resetting' (reloading over HTTP).
 */
export function newSubscription(thread, cursor) {
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
