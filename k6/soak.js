// Soak: long-running, moderate chat. Each VU holds a session of SESSION_MS on its own thread,
// sending every SEND_INTERVAL_MS, and drops its connection at random every ~DROP_EVERY_MS
// (0.5x-1.5x), resuming from its cursor. Server closes (drains with 1012, heartbeat, token expiry
// with refresh) are followed as the protocol says. Run it across a rolling restart of the
// deployment: it must still see every frame exactly once, in order.
//   k6 run -e RELAY_URL=ws://127.0.0.1:8080 -e RELAY_JWT_HS256_SECRET=... -e DURATION=2h k6/soak.js
import { commonSettings, int, text } from './lib/config.js';
import { newRunId, runConversation, threadName } from './lib/conversation.js';
import { loadTokens, tokenSource } from './lib/jwt.js';
import { strictThresholds } from './lib/metrics.js';

const settings = commonSettings();
const tokens = loadTokens(settings);
const sessionMs = int('SESSION_MS', 60000); // one thread per session; sessions follow each other
const sendIntervalMs = Math.max(1, int('SEND_INTERVAL_MS', 3000)); // pause between sends
const dropEveryMs = int('DROP_EVERY_MS', 20000); // mean time between planned drops (0 = none)
const messages = Math.max(1, Math.floor(sessionMs / sendIntervalMs));
const sessionBudgetMs = sessionMs + settings.replyTimeoutMs;

export const options = {
  scenarios: {
    soak: {
      executor: 'constant-vus',
      vus: int('VUS', 20),
      duration: text('DURATION', '30m'),
      gracefulStop: Math.ceil(sessionBudgetMs / 1000) + 5 + 's',
    },
  },
  thresholds: strictThresholds(settings.latencyP99Ms),
};

export function setup() {
  return { runId: newRunId() };
}

let identity = null;

export default function (data) {
  if (identity === null) identity = tokenSource(settings, tokens, __VU);
  runConversation(settings, identity, {
    thread: threadName(data.runId, __VU, __ITER),
    messages: messages,
    sendIntervalMs: sendIntervalMs,
    resumeVia: (__VU + __ITER) % 2 === 0 ? 'hello' : 'subscribe',
    dropAfterFrames: 0,
    dropEveryMs: dropEveryMs,
    maxDrops: dropEveryMs > 0 ? 1e9 : 0,
    maxDurationMs: sessionBudgetMs + 30000,
  });
}
