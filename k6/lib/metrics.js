// Custom metrics shared by the scripts, and the thresholds that turn any loss, duplicate or
// reordering into a failed run.
import { Counter, Trend } from 'k6/metrics';

export const metrics = {
  // Delivery guarantees: each must stay 0.
  framesLost: new Counter('frames_lost'), // seqs never delivered on the socket (gaps, or missing vs. history)
  framesDuplicated: new Counter('frames_duplicated'), // a seq delivered again on the same cursor
  framesOutOfOrder: new Counter('frames_out_of_order'), // a seq delivered after a higher one
  compactedRuns: new Counter('compacted_runs'), // `compacted` notices processed (legal: PROTOCOL.md "Compaction")
  framesMismatched: new Counter('frames_mismatched'), // socket and history disagree on a seq's frame id
  repliesIncomplete: new Counter('replies_incomplete'), // a reply that did not reach typing{on:false} in time
  repliesMalformed: new Counter('replies_malformed'), // wrong kind order, chunk index, text, or reply order
  threadResets: new Counter('thread_resets'), // `reset` for a cursor that should have resumed
  terminalCloses: new Counter('terminal_closes'), // 45xx closes and giving up on a conversation
  serverErrors: new Counter('server_errors'), // `error` messages (tagged with code)
  protocolErrors: new Counter('protocol_errors'), // unparseable or ill-formed server messages
  // Volume and timing.
  framesReceived: new Counter('frames_received'),
  reconnects: new Counter('reconnects'), // tagged with reason
  frameLatency: new Trend('frame_latency', true), // receipt time - frame.ts, live frames only
  acceptLatency: new Trend('accept_latency', true), // send -> accepted
  replyDuration: new Trend('reply_duration', true), // send -> typing{on:false}
  resumeLatency: new Trend('resume_latency', true), // reconnect start -> subscribed
};

/** Each VU reports every guarantee counter once, so a clean run shows explicit zeros. */
export function touchCounters() {
  const zeroed = ['framesLost', 'framesDuplicated', 'framesOutOfOrder', 'framesMismatched', 'repliesIncomplete',
    'repliesMalformed', 'threadResets', 'terminalCloses', 'serverErrors', 'protocolErrors'];
  for (let i = 0; i < zeroed.length; i++) metrics[zeroed[i]].add(0);
}

/** Thresholds: zero tolerance on every delivery failure, every check must pass, and a latency bound. */
export function strictThresholds(latencyP99Ms) {
  return {
    frames_lost: ['count==0'],
    frames_duplicated: ['count==0'],
    frames_out_of_order: ['count==0'],
    frames_mismatched: ['count==0'],
    replies_incomplete: ['count==0'],
    replies_malformed: ['count==0'],
    thread_resets: ['count==0'],
    terminal_closes: ['count==0'],
    server_errors: ['count==0'],
    protocol_errors: ['count==0'],
    checks: ['rate==1'],
    frame_latency: ['p(99)<' + latencyP99Ms],
  };
}
