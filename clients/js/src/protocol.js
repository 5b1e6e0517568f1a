// The protocol's constants, close and retry policy, and checks of what a caller passes. Pure
// functions, no state. Part of the browser SDK (see index.js).

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
export const OVERLOAD_CODES = new Set([1011, 1013, 4029]);
/**
 * Server error codes after which a command is retried with backoff instead of failing: only a
 * server-side failure. `rate_limited` and `limit_exceeded` fail that one call (CLIENT.md).
 */
export const RETRYABLE_ERRORS = new Set(['internal']);
/** Close code the client uses when it gives up on a socket itself (dead or dropped). */
export const CLIENT_DROP_CODE = 4000;
/** Close code reported in `state` details when the client detected a dead connection. */
export const ABNORMAL_CLOSE = 1006;
export const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const OPEN = 1; // WebSocket.OPEN, without depending on the global

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


export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

export function checkThread(thread) {
  if (typeof thread !== 'string' || !THREAD_ID.test(thread)) {
    throw new RelayError('bad_request', `invalid thread id: ${JSON.stringify(thread)}`);
  }
}
