// One conversation: a VU's own thread, driven over as many WebSocket connections as it takes
// (connection.js runs each). Between connections it follows the close policy (resume, fresh
// token, backoff, stop); at the end it checks completeness and (optionally) the history API.
import { check, sleep } from 'k6';
import { afterServerClose, backoffMs } from './close-policy.js';
import { runConnection } from './connection.js';
import { fetchHistory, reconcile } from './history.js';
import { metrics, touchCounters } from './metrics.js';
import { ReplyTracker } from './replies.js';
import { ThreadStream } from './thread-stream.js';

/** A run id unique enough to keep threads of different runs apart on a long-lived server. */
export function newRunId() {
  return Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36);
}

export function threadName(runId, vu, iter) {
  return 'k6.' + runId + '.' + vu + '.' + iter;
}

/**
 * plan: { thread, messages, sendIntervalMs (0 = all at once), resumeVia: 'hello' | 'subscribe',
 *         dropAfterFrames (0 = never), dropEveryMs (0 = never), maxDrops, maxDurationMs }
 */
export function runConversation(settings, identity, plan) {
  touchCounters();
  const conv = {
    stream: new ThreadStream(plan.thread),
    replies: new ReplyTracker(settings),
    sentCount: 0,
    lastSendAt: 0,
    drops: 0,
    connects: 0,
    unplanned: 0, // reconnects not caused by a planned drop
    token: identity.next(),
    deadline: Date.now() + plan.maxDurationMs,
    outcome: null, // 'done' | 'timeout' | 'reset' | 'terminal'
  };
  let retry = 0;
  while (conv.outcome === null) {
    if (conv.unplanned > settings.maxReconnects) {
      conv.outcome = 'terminal';
      console.warn(plan.thread + ': giving up after ' + conv.unplanned + ' unplanned reconnects');
      break;
    }
    if (Date.now() > conv.deadline) { conv.outcome = 'timeout'; break; }
    const result = runConnection(settings, identity, plan, conv);
    if (result.kind === 'done' || result.kind === 'timeout' || result.kind === 'reset') { conv.outcome = result.kind; break; }
    metrics.reconnects.add(1, { reason: result.kind === 'closed' ? 'close_' + result.code : result.kind });
    if (result.subscribed) retry = 0; // backoff grows only over connections that got nowhere
    if (result.kind === 'drop') continue;
    conv.unplanned++;
    if (result.kind === 'handshake' || result.kind === 'dead') { sleep(backoffMs(retry++) / 1000); continue; }
    const policy = afterServerClose(result.code, retry++);
    if (policy.action === 'stop') {
      conv.outcome = 'terminal';
      console.warn(plan.thread + ': server closed with terminal code ' + result.code);
      break;
    }
    if (policy.action === 'reauth') {
      if (!identity.canRefresh || !result.welcomed) {
        conv.outcome = 'terminal'; // no new token to try, or a fresh one was just refused
        console.warn(plan.thread + ': token refused (4401)' + (identity.canRefresh ? ' right after hello' : ' and no way to get a fresh one'));
        break;
      }
      conv.token = identity.next();
    }
    sleep(policy.delayMs / 1000);
  }
  finish(settings, plan, conv);
  return conv;
}

function finish(settings, plan, conv) {
  const incomplete = conv.replies.incomplete();
  const unsent = plan.messages - conv.sentCount;
  if (incomplete.length + unsent > 0) {
    metrics.repliesIncomplete.add(incomplete.length + unsent);
    console.warn(plan.thread + ': ' + (incomplete.length + unsent) + ' replies incomplete (' + conv.outcome + '): ' + incomplete.join(','));
  }
  const gaps = conv.stream.missingCount();
  if (gaps > 0) metrics.framesLost.add(gaps, { source: 'gap' });
  if (conv.outcome === 'terminal') metrics.terminalCloses.add(1);
  check(conv, {
    'conversation completed': function (c) { return c.outcome === 'done'; },
    'seqs contiguous': function () { return gaps === 0; },
  });
  if (settings.historyCheck && conv.stream.epoch !== null && conv.outcome !== 'reset') {
    const history = fetchHistory(settings, plan.thread, conv.token);
    if (!check(history, { 'history readable': function (h) { return h !== null; } })) return;
    reconcile(conv.stream, history);
  }
}
