// What a client does after the server closes, per PROTOCOL.md "Close codes":
// 4000-4499 and 1001/1011/1012/1013 reconnect and resume, 4401 needs a fresh token first,
// 1000 and 4500-4999 are terminal.

const SHORT_DELAY_MS = 1000; // upper bound of the random pause after 1001/1012 (a drain)
const BACKOFF_BASE_MS = 250; // first backoff step after 1011/1013/4029 and failed handshakes
const BACKOFF_MAX_MS = 5000;

export function backoffMs(attempt) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, attempt));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Returns { action: 'resume' | 'reauth' | 'stop', delayMs } for a close code sent by the server. */
export function afterServerClose(code, attempt) {
  if (code === 1000) return { action: 'stop', delayMs: 0 };
  if (code === 1001 || code === 1012) return { action: 'resume', delayMs: Math.random() * SHORT_DELAY_MS };
  if (code === 4401) return { action: 'reauth', delayMs: 0 };
  if (code >= 4500 && code <= 4999) return { action: 'stop', delayMs: 0 };
  if (code === 1011 || code === 1013 || code === 4029 || code === 1006) return { action: 'resume', delayMs: backoffMs(attempt) };
  if (code >= 4000 && code <= 4499) return { action: 'resume', delayMs: 0 };
  return { action: 'resume', delayMs: backoffMs(attempt) };
}
