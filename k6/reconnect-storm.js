// Reconnect storm: all VUs start each cycle on the same wall-clock boundary, send MESSAGES at once,
// drop their connection DROP_AFTER_FRAMES frames into the replies (with frames still unacked),
// reconnect at once and resume from their cursor — even VUs with hello.resume, odd VUs with
// subscribe{epoch, after} — DROPS times per cycle. Every frame must then arrive exactly once, in
// order: any gap, duplicate, reorder or reset fails the run.
//   k6 run -e RELAY_URL=ws://127.0.0.1:8080 -e RELAY_JWT_HS256_SECRET=... k6/reconnect-storm.js
import { sleep } from 'k6';
import { commonSettings, int, text } from './lib/config.js';
import { newRunId, runConversation, threadName } from './lib/conversation.js';
import { loadTokens, tokenSource } from './lib/jwt.js';
import { strictThresholds } from './lib/metrics.js';

const settings = commonSettings();
const tokens = loadTokens(settings);
const messages = int('MESSAGES', 3); // sent together, so replies queue behind each other
const dropAfterFrames = int('DROP_AFTER_FRAMES', 5); // frames into a connection before it drops
const drops = int('DROPS', 2); // drops per cycle
const stormPeriodMs = int('STORM_PERIOD_MS', 5000); // cycles start on multiples of this (all VUs together)
const resumeP99Ms = int('RESUME_P99_MS', 3000); // threshold on reconnect start -> subscribed
const cycleBudgetMs = stormPeriodMs + settings.replyTimeoutMs;

const thresholds = strictThresholds(settings.latencyP99Ms);
thresholds.resume_latency = ['p(99)<' + resumeP99Ms];
thresholds.reconnects = ['count>0']; // the storm must actually have happened

export const options = {
  scenarios: {
    storm: {
      executor: 'constant-vus',
      vus: int('VUS', 50),
      duration: text('DURATION', '1m'),
      gracefulStop: Math.ceil(cycleBudgetMs / 1000) + 5 + 's',
    },
  },
  thresholds: thresholds,
};

export function setup() {
  return { runId: newRunId() };
}

let identity = null;

export default function (data) {
  if (identity === null) identity = tokenSource(settings, tokens, __VU);
  const now = Date.now();
  sleep((stormPeriodMs - (now % stormPeriodMs)) / 1000); // line up with every other VU
  runConversation(settings, identity, {
    thread: threadName(data.runId, __VU, __ITER),
    messages: messages,
    sendIntervalMs: 0,
    resumeVia: __VU % 2 === 0 ? 'hello' : 'subscribe',
    dropAfterFrames: dropAfterFrames,
    dropEveryMs: 0,
    maxDrops: drops,
    maxDurationMs: cycleBudgetMs,
  });
}
