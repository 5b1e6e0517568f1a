// Settings of the load scripts, all from environment variables (`k6 run -e NAME=value` or the shell).
// Names are shared with the server where they mean the same thing (RELAY_URL, RELAY_JWT_*).

function text(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value === '' ? fallback : value;
}

function int(name, fallback) {
  const value = text(name, undefined);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!isFinite(n) || Math.floor(n) !== n || n < 0) throw new Error(name + ' must be a non-negative integer, got ' + value);
  return n;
}

function flag(name, fallback) {
  const value = text(name, undefined);
  if (value === undefined) return fallback;
  return !(value === '0' || value.toLowerCase() === 'false' || value.toLowerCase() === 'no');
}

/** ws://host:port (or http://host:port) -> the WebSocket URL of /ws and the HTTP base URL. */
function endpoints(base) {
  const trimmed = base.replace(/\/+$/, '');
  const match = /^(wss?|https?):\/\/([^/]+)(\/.*)?$/.exec(trimmed);
  if (!match) throw new Error('RELAY_URL must look like ws://host:port, got ' + base);
  const secure = match[1] === 'wss' || match[1] === 'https';
  const path = match[3] || '';
  const root = path.replace(/\/ws$/, '');
  return {
    wsUrl: (secure ? 'wss://' : 'ws://') + match[2] + root + '/ws',
    httpUrl: (secure ? 'https://' : 'http://') + match[2] + root,
  };
}

/** Common settings; each script adds its own with the same helpers. */
export function commonSettings() {
  const urls = endpoints(text('RELAY_URL', 'ws://127.0.0.1:8080'));
  return {
    wsUrl: urls.wsUrl,
    httpUrl: text('RELAY_HTTP_URL', urls.httpUrl),
    origin: text('RELAY_ORIGIN', ''), // sent as Origin when set (it must be on RELAY_ALLOWED_ORIGINS)
    secret: text('RELAY_JWT_HS256_SECRET', ''),
    issuer: text('RELAY_JWT_ISSUER', ''),
    audience: text('RELAY_JWT_AUDIENCE', ''),
    tokenFile: text('RELAY_TOKEN_FILE', ''),
    tokenTtlS: int('TOKEN_TTL_S', 3600), // lifetime of tokens signed here
    tokenVia: text('TOKEN_VIA', 'hello'), // hello (browser way) | header (Authorization on the upgrade)
    subPrefix: text('SUB_PREFIX', 'k6-user'), // sub = <prefix>-<VU>
    replyTimeoutMs: int('REPLY_TIMEOUT_MS', 20000), // longest wait for outstanding replies after the last send
    latencyP99Ms: int('LATENCY_P99_MS', 1000), // threshold on frame_latency p(99) (journal ts -> receipt)
    expectEcho: flag('EXPECT_ECHO', true), // the scripted engine answers `echo: <text>`
    historyCheck: flag('HISTORY_CHECK', true), // compare each thread with GET /api/threads/{t}/frames
    ackEvery: int('ACK_EVERY', 16), // ack after this many processed frames (and at each reply end)
    maxReconnects: int('MAX_RECONNECTS', 20), // unplanned reconnects per conversation before it counts as failed
  };
}

export { text, int, flag };
