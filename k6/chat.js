// Chat load: each VU opens its own thread (hello -> subscribe after 0), sends MESSAGES messages
// every SEND_INTERVAL_MS, follows each reply to its end (user_message, typing on, chunks,
// message, typing off) with contiguous seqs, acks, and compares the thread with the history API.
// Fails on any lost, duplicated or reordered frame, any failed check, or p(99) latency over the bound.
//   k6 run -e RELAY_URL=ws://127.0.0.1:8080 -e RELAY_JWT_HS256_SECRET=... k6/chat.js
import { commonSettings, int, text } from './lib/config.js';
import { newRunId, runConversation, threadName } from './lib/conversation.js';
import { loadTokens, tokenSource } from './lib/jwt.js';
import { strictThresholds } from './lib/metrics.js';

const settings = commonSettings();
const tokens = loadTokens(settings);
const messages = int('MESSAGES', 5); // sends per iteration (one thread per iteration)
const sendIntervalMs = int('SEND_INTERVAL_MS', 1000); // pause between two sends of a VU
const iterationBudgetMs = messages * sendIntervalMs + settings.replyTimeoutMs;

export const options = {
  scenarios: {
    chat: {
      executor: 'constant-vus',
      vus: int('VUS', 10),
      duration: text('DURATION', '1m'),
      // An iteration running when the duration ends may finish its replies.
      gracefulStop: Math.ceil(iterationBudgetMs / 1000) + 5 + 's',
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
    resumeVia: 'subscribe',
    dropAfterFrames: 0,
    dropEveryMs: 0,
    maxDrops: 0,
    maxDurationMs: iterationBudgetMs + 10000,
  });
}
