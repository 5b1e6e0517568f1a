// One conversation: a VU's own thread, driven over as many WebSocket connections as it takes.
// It sends `plan.messages` messages, follows every reply, acks, drops the connection when the
// plan says so, resumes with its cursor (hello.resume or subscribe{after}), obeys server closes,
// and at the end checks completeness and (optionally) the history API.
import { check, sleep } from 'k6';
import ws from 'k6/ws';
import { afterServerClose, backoffMs } from './close-policy.js';
import { fetchHistory, reconcile } from './history.js';
import { metrics, touchCounters } from './metrics.js';
import { ReplyTracker } from './replies.js';
import { ThreadStream } from './thread-stream.js';

const SUBPROTOCOL = 'relay.v1';
const TICK_MS = 100; // pacing of sends, periodic acks and deadlines
const SILENCE_GRACE_MS = 10000; // heard nothing for heartbeat + this: the connection is dead
const CLIENT_DROP_CODE = 1001; // a planned drop looks like a tab going away

/** A run id unique enough to keep threads of different runs apart on a long-lived server. */
export function newRunId() {
  return Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36);
}

export function threadName(runId, vu, iter) {
  return 'k6.' + runId + '.' + vu + '.' + iter;
}

function header(headers, name) {
  for (const key in headers || {}) if (key.toLowerCase() === name) return headers[key];
  return undefined;
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
    token: identity.next(),
    deadline: Date.now() + plan.maxDurationMs,
    outcome: null, // 'done' | 'timeout' | 'reset' | 'terminal'
  };
  let retry = 0;
  while (conv.outcome === null) {
    if (conv.connects >= settings.maxConnects) { conv.outcome = 'terminal'; console.warn(plan.thread + ': giving up after ' + conv.connects + ' connections'); break; }
    if (Date.now() > conv.deadline) { conv.outcome = 'timeout'; break; }
    const result = connectOnce(settings, identity, plan, conv);
    if (result.kind === 'done' || result.kind === 'timeout' || result.kind === 'reset') { conv.outcome = result.kind; break; }
    metrics.reconnects.add(1, { reason: result.kind === 'closed' ? 'close_' + result.code : result.kind });
    if (result.kind === 'drop') { retry = 0; continue; }
    if (result.kind === 'handshake' || result.kind === 'dead') { sleep(backoffMs(retry++) / 1000); continue; }
    const policy = afterServerClose(result.code, retry++);
    if (policy.action === 'stop') {
      conv.outcome = 'terminal';
      console.warn(plan.thread + ': server closed with terminal code ' + result.code);
      break;
    }
    if (policy.action === 'reauth') {
      if (!identity.canRefresh) { conv.outcome = 'terminal'; console.warn(plan.thread + ': 4401 and no way to get a fresh token'); break; }
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

function connectOnce(settings, identity, plan, conv) {
  const thread = plan.thread;
  const stream = conv.stream;
  const startedAt = Date.now();
  const resuming = stream.epoch !== null;
  const resumeViaHello = resuming && plan.resumeVia === 'hello';
  const headers = { 'Sec-WebSocket-Protocol': SUBPROTOCOL };
  if (settings.origin) headers.Origin = settings.origin;
  if (settings.tokenVia === 'header') headers.Authorization = 'Bearer ' + conv.token;
  const result = { kind: 'closed', code: 0 };
  let opened = false;
  let ready = false;
  let ending = false;
  let lastHeard = Date.now();
  let heartbeatMs = 25000;
  let framesHere = 0;
  let sinceAck = 0;
  let nextSendAt = 0;
  let nextDropAt = plan.dropEveryMs > 0 ? startedAt + plan.dropEveryMs * (0.5 + Math.random()) : Infinity;
  conv.connects++;

  let response;
  try {
    response = ws.connect(settings.wsUrl, { headers: headers, tags: { name: 'relay-ws' } }, function (socket) {
      const sendJson = function (message) { socket.send(JSON.stringify(message)); };
      const ack = function () {
        if (stream.last > stream.acked) {
          sendJson({ type: 'ack', thread: thread, seq: stream.last });
          stream.acked = stream.last;
        }
        sinceAck = 0;
      };
      const end = function (kind, code) {
        if (ending) return;
        ending = true;
        result.kind = kind;
        if (kind !== 'drop' && ready) ack(); // a drop leaves frames unacked on purpose: they must be replayed
        socket.close(code);
      };
      const sendOne = function () {
        conv.sentCount++;
        const id = 'm-' + conv.sentCount;
        const text = 'k6 ' + thread + ' #' + conv.sentCount;
        conv.replies.recordSend(id, text);
        conv.lastSendAt = Date.now();
        sendJson({ type: 'send', thread: thread, id: id, text: text });
      };
      const finishedAll = function () { return conv.sentCount >= plan.messages && conv.replies.allDone(); };

      const onSubscribed = function (message) {
        if (message.thread !== thread) { metrics.protocolErrors.add(1, { reason: 'subscribed_thread' }); return; }
        const sameEpoch = stream.onSubscribed(message);
        check(message, {
          'subscribed in the held epoch': function () { return sameEpoch; },
          'subscribed head covers the cursor': function (m) { return m.head >= stream.last; },
        });
        if (!sameEpoch) metrics.threadResets.add(1, { reason: 'epoch_changed' });
        if (resuming) metrics.resumeLatency.add(Date.now() - startedAt);
        ready = true;
        // Sends whose `accepted` was lost with the old connection go again with the same id: idempotent.
        const again = conv.replies.unaccepted();
        for (let i = 0; i < again.length; i++) sendJson({ type: 'send', thread: thread, id: again[i].id, text: again[i].text });
        if (finishedAll()) end('done', 1000);
      };

      const onFrame = function (frame) {
        metrics.framesReceived.add(1);
        const verdict = stream.accept(frame);
        if (verdict !== 'new') return;
        if (stream.isLive(frame.seq) && typeof frame.ts === 'number') metrics.frameLatency.add(Date.now() - frame.ts, { kind: frame.kind });
        framesHere++;
        sinceAck++;
        const replyEnded = conv.replies.onFrame(frame);
        if (replyEnded || sinceAck >= settings.ackEvery) ack();
        if (finishedAll()) { end('done', 1000); return; }
        if (plan.dropAfterFrames > 0 && conv.drops < plan.maxDrops && framesHere >= plan.dropAfterFrames) {
          conv.drops++;
          end('drop', CLIENT_DROP_CODE);
        }
      };

      const onMessage = function (raw) {
        lastHeard = Date.now();
        let message;
        try { message = JSON.parse(raw); } catch (e) { metrics.protocolErrors.add(1, { reason: 'json' }); return; }
        if (message === null || typeof message.type !== 'string') { metrics.protocolErrors.add(1, { reason: 'no_type' }); return; }
        switch (message.type) {
          case 'welcome':
            check(message, { 'welcome well-formed': function (m) {
              return typeof m.session === 'string' && typeof m.heartbeat === 'number' && typeof m.exp === 'number';
            } });
            if (typeof message.heartbeat === 'number') heartbeatMs = message.heartbeat;
            if (!resumeViaHello) {
              const subscribe = { type: 'subscribe', thread: thread, after: stream.last };
              if (stream.epoch !== null) subscribe.epoch = stream.epoch;
              sendJson(subscribe);
            }
            break;
          case 'subscribed': onSubscribed(message); break;
          case 'reset':
            metrics.threadResets.add(1, { reason: String(message.reason) });
            check(message, { 'cursor resumed without reset': function () { return false; } });
            console.warn(thread + ': reset ' + message.reason + ' (cursor ' + stream.epoch + '/' + stream.last + ', head ' + message.head + ')');
            end('reset', 1000);
            break;
          case 'frame': onFrame(message); break;
          case 'accepted':
            if (message.thread !== thread) metrics.protocolErrors.add(1, { reason: 'accepted_thread' });
            conv.replies.onAccepted(message);
            break;
          case 'error':
            metrics.serverErrors.add(1, { code: String(message.code) });
            console.warn(thread + ': error ' + message.code + ' ' + message.message + ' ref=' + message.ref);
            break;
          case 'ping': sendJson({ type: 'pong' }); break;
          case 'token_expiring':
            if (identity.canRefresh) { conv.token = identity.next(); sendJson({ type: 'refresh', token: conv.token }); }
            break;
          case 'refreshed':
            check(message, { 'refreshed well-formed': function (m) { return typeof m.exp === 'number'; } });
            break;
          default: break; // pong, unsubscribed, and types added later
        }
      };

      const tick = function () {
        const now = Date.now();
        if (ready && conv.sentCount < plan.messages && now >= nextSendAt) {
          do sendOne(); while (plan.sendIntervalMs === 0 && conv.sentCount < plan.messages);
          nextSendAt = now + plan.sendIntervalMs;
        }
        if (ready && stream.last > stream.acked) ack();
        if (now - lastHeard > heartbeatMs + SILENCE_GRACE_MS) { end('dead', CLIENT_DROP_CODE); return; }
        const repliesOverdue = conv.sentCount >= plan.messages && now > conv.lastSendAt + settings.replyTimeoutMs;
        if (repliesOverdue || now > conv.deadline) { end('timeout', 1000); return; }
        if (ready && now >= nextDropAt && conv.drops < plan.maxDrops) { conv.drops++; end('drop', CLIENT_DROP_CODE); }
      };

      socket.on('open', function () {
        opened = true;
        const hello = { type: 'hello' };
        if (settings.tokenVia !== 'header') hello.token = conv.token;
        if (resumeViaHello) hello.resume = [{ thread: thread, epoch: stream.epoch, after: stream.last }];
        sendJson(hello);
      });
      socket.on('message', onMessage);
      socket.on('close', function (code) { if (result.code === 0) result.code = code; });
      socket.on('error', function (e) { console.warn(thread + ': socket error ' + (e && e.error ? e.error() : e)); });
      socket.setInterval(tick, TICK_MS);
    });
  } catch (e) {
    if (opened) throw e; // a failure inside the session is a bug, not a refused handshake
    // Some k6 versions throw on a refused handshake instead of returning its status.
    response = { status: 0, error: String(e) };
  }

  if (!response || response.status !== 101) {
    console.warn(thread + ': handshake failed: ' + (response ? response.status + ' ' + response.error : 'no response'));
    return { kind: 'handshake', code: 0 };
  }
  if (conv.connects === 1) {
    check(response, { 'subprotocol relay.v1 selected': function (r) { return header(r.headers, 'sec-websocket-protocol') === SUBPROTOCOL; } });
  }
  return result;
}
