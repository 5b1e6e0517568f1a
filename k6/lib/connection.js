// One WebSocket connection of a conversation, from the upgrade to the close: hello (with
// hello.resume when resuming that way), subscribe{after, epoch}, paced sends, frames into the
// stream and reply checks, acks, server pings, token refresh, planned drops and deadlines.
// Returns how it ended: { kind: 'done' | 'drop' | 'timeout' | 'reset' | 'dead' | 'handshake' | 'closed', code,
// welcomed (the token was accepted), subscribed (the cursor was resumed) }.
import { check } from 'k6';
import ws from 'k6/ws';
import { metrics } from './metrics.js';

const SUBPROTOCOL = 'relay.v1';
const TICK_MS = 100; // pacing of sends, periodic acks and deadlines
const SILENCE_GRACE_MS = 10000; // heard nothing for heartbeat + this: the connection is dead
const CLIENT_DROP_CODE = 1001; // a planned drop looks like a tab going away
const DEFAULT_HEARTBEAT_MS = 25000; // until `welcome` says otherwise

function header(headers, name) {
  for (const key in headers || {}) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

function Connection(settings, identity, plan, conv) {
  this.settings = settings;
  this.identity = identity;
  this.plan = plan;
  this.conv = conv;
  this.thread = plan.thread;
  this.stream = conv.stream;
  this.startedAt = Date.now();
  this.resuming = conv.stream.epoch !== null;
  this.resumeViaHello = this.resuming && plan.resumeVia === 'hello';
  this.result = { kind: 'closed', code: 0, welcomed: false, subscribed: false };
  this.socket = null;
  this.opened = false;
  this.ready = false; // subscribed: sends may go
  this.ending = false;
  this.lastHeard = Date.now();
  this.heartbeatMs = DEFAULT_HEARTBEAT_MS;
  this.framesHere = 0;
  this.sinceAck = 0;
  this.nextSendAt = 0;
  this.nextDropAt = plan.dropEveryMs > 0 ? this.startedAt + plan.dropEveryMs * (0.5 + Math.random()) : Infinity;
}

Connection.prototype.sendJson = function (message) {
  this.socket.send(JSON.stringify(message));
};

Connection.prototype.ack = function () {
  if (this.stream.last > this.stream.acked) {
    this.sendJson({ type: 'ack', thread: this.thread, seq: this.stream.last });
    this.stream.acked = this.stream.last;
  }
  this.sinceAck = 0;
};

Connection.prototype.end = function (kind, code) {
  if (this.ending) return;
  this.ending = true;
  this.result.kind = kind;
  if (kind !== 'drop' && this.ready) this.ack(); // a drop leaves frames unacked on purpose: they must be replayed
  this.socket.close(code);
};

Connection.prototype.finishedAll = function () {
  return this.conv.sentCount >= this.plan.messages && this.conv.replies.allDone();
};

Connection.prototype.sendNext = function () {
  const conv = this.conv;
  conv.sentCount++;
  const id = 'm-' + conv.sentCount;
  const text = 'k6 ' + this.thread + ' #' + conv.sentCount;
  conv.replies.recordSend(id, text);
  conv.lastSendAt = Date.now();
  this.sendJson({ type: 'send', thread: this.thread, id: id, text: text });
};

Connection.prototype.onOpen = function () {
  this.opened = true;
  const hello = { type: 'hello' };
  if (this.settings.tokenVia !== 'header') hello.token = this.conv.token;
  if (this.resumeViaHello) hello.resume = [{ thread: this.thread, epoch: this.stream.epoch, after: this.stream.last }];
  this.sendJson(hello);
};

Connection.prototype.onWelcome = function (message) {
  check(message, { 'welcome well-formed': function (m) {
    return typeof m.session === 'string' && typeof m.heartbeat === 'number' && typeof m.exp === 'number';
  } });
  this.result.welcomed = true;
  if (typeof message.heartbeat === 'number') this.heartbeatMs = message.heartbeat;
  if (this.resumeViaHello) return; // hello.resume already subscribed us
  const subscribe = { type: 'subscribe', thread: this.thread, after: this.stream.last };
  if (this.stream.epoch !== null) subscribe.epoch = this.stream.epoch;
  this.sendJson(subscribe);
};

Connection.prototype.onSubscribed = function (message) {
  if (message.thread !== this.thread) { metrics.protocolErrors.add(1, { reason: 'subscribed_thread' }); return; }
  const cursor = this.stream.last;
  const sameEpoch = this.stream.onSubscribed(message);
  check(message, {
    'subscribed in the held epoch': function () { return sameEpoch; },
    'subscribed head covers the cursor': function (m) { return m.head >= cursor; },
  });
  if (!sameEpoch) metrics.threadResets.add(1, { reason: 'epoch_changed' });
  if (this.resuming) metrics.resumeLatency.add(Date.now() - this.startedAt);
  this.ready = true;
  this.result.subscribed = true;
  // Sends whose `accepted` was lost with the old connection go again with the same id: idempotent.
  const again = this.conv.replies.unaccepted();
  for (let i = 0; i < again.length; i++) this.sendJson({ type: 'send', thread: this.thread, id: again[i].id, text: again[i].text });
  if (this.finishedAll()) this.end('done', 1000);
};

Connection.prototype.onReset = function (message) {
  metrics.threadResets.add(1, { reason: String(message.reason) });
  check(message, { 'cursor resumed without reset': function () { return false; } });
  console.warn(this.thread + ': reset ' + message.reason + ' (cursor ' + this.stream.epoch + '/' + this.stream.last + ', head ' + message.head + ')');
  this.end('reset', 1000);
};

Connection.prototype.onFrame = function (frame) {
  metrics.framesReceived.add(1);
  if (this.stream.accept(frame) !== 'new') return;
  if (this.stream.isLive(frame.seq) && typeof frame.ts === 'number') metrics.frameLatency.add(Date.now() - frame.ts, { kind: frame.kind });
  this.framesHere++;
  this.sinceAck++;
  const replyEnded = this.conv.replies.onFrame(frame);
  if (replyEnded || this.sinceAck >= this.settings.ackEvery) this.ack();
  if (this.finishedAll()) { this.end('done', 1000); return; }
  const plan = this.plan;
  if (plan.dropAfterFrames > 0 && this.conv.drops < plan.maxDrops && this.framesHere >= plan.dropAfterFrames) {
    this.conv.drops++;
    this.end('drop', CLIENT_DROP_CODE);
  }
};

/** A compacted run: ended replies' token frames, counted as processed and acked at once. */
Connection.prototype.onCompacted = function (run) {
  if (this.stream.acceptRun(run) !== 'new') return;
  metrics.compactedRuns.add(1);
  this.conv.replies.onCompacted();
  this.ack();
  if (this.finishedAll()) this.end('done', 1000);
};

Connection.prototype.onMessage = function (raw) {
  this.lastHeard = Date.now();
  let message;
  try { message = JSON.parse(raw); } catch (e) { metrics.protocolErrors.add(1, { reason: 'json' }); return; }
  if (message === null || typeof message.type !== 'string') { metrics.protocolErrors.add(1, { reason: 'no_type' }); return; }
  switch (message.type) {
    case 'welcome': this.onWelcome(message); break;
    case 'subscribed': this.onSubscribed(message); break;
    case 'reset': this.onReset(message); break;
    case 'frame': this.onFrame(message); break;
    case 'compacted': this.onCompacted(message); break;
    case 'accepted':
      if (message.thread !== this.thread) metrics.protocolErrors.add(1, { reason: 'accepted_thread' });
      this.conv.replies.onAccepted(message);
      break;
    case 'error':
      metrics.serverErrors.add(1, { code: String(message.code) });
      console.warn(this.thread + ': error ' + message.code + ' ' + message.message + ' ref=' + message.ref);
      break;
    case 'ping': this.sendJson({ type: 'pong' }); break;
    case 'token_expiring':
      if (this.identity.canRefresh) {
        this.conv.token = this.identity.next();
        this.sendJson({ type: 'refresh', token: this.conv.token });
      }
      break;
    case 'refreshed':
      check(message, { 'refreshed well-formed': function (m) { return typeof m.exp === 'number'; } });
      break;
    default: break; // pong, unsubscribed, and types added later
  }
};

Connection.prototype.tick = function () {
  const now = Date.now();
  const conv = this.conv;
  const plan = this.plan;
  if (this.ready && conv.sentCount < plan.messages && now >= this.nextSendAt) {
    do this.sendNext(); while (plan.sendIntervalMs === 0 && conv.sentCount < plan.messages);
    this.nextSendAt = now + plan.sendIntervalMs;
  }
  if (this.ready && this.stream.last > this.stream.acked) this.ack();
  if (now - this.lastHeard > this.heartbeatMs + SILENCE_GRACE_MS) { this.end('dead', CLIENT_DROP_CODE); return; }
  const repliesOverdue = conv.sentCount >= plan.messages && now > conv.lastSendAt + this.settings.replyTimeoutMs;
  if (repliesOverdue || now > conv.deadline) { this.end('timeout', 1000); return; }
  if (this.ready && now >= this.nextDropAt && conv.drops < plan.maxDrops) {
    conv.drops++;
    this.end('drop', CLIENT_DROP_CODE);
  }
};

Connection.prototype.run = function () {
  const self = this;
  const headers = { 'Sec-WebSocket-Protocol': SUBPROTOCOL };
  if (this.settings.origin) headers.Origin = this.settings.origin;
  if (this.settings.tokenVia === 'header') headers.Authorization = 'Bearer ' + this.conv.token;
  let response;
  try {
    response = ws.connect(this.settings.wsUrl, { headers: headers, tags: { name: 'relay-ws' } }, function (socket) {
      self.socket = socket;
      socket.on('open', function () { self.onOpen(); });
      socket.on('message', function (raw) { self.onMessage(raw); });
      socket.on('close', function (code) { if (self.result.code === 0) self.result.code = code; });
      socket.on('error', function (e) { console.warn(self.thread + ': socket error ' + (e && e.error ? e.error() : e)); });
      socket.setInterval(function () { self.tick(); }, TICK_MS);
    });
  } catch (e) {
    if (this.opened) throw e; // a failure inside the session is a bug, not a refused handshake
    // Some k6 versions throw on a refused handshake instead of returning its status.
    response = { status: 0, error: String(e) };
  }
  if (!response || response.status !== 101) {
    console.warn(this.thread + ': handshake failed: ' + (response ? response.status + ' ' + response.error : 'no response'));
    return { kind: 'handshake', code: 0, welcomed: false, subscribed: false };
  }
  if (this.conv.connects === 1) {
    check(response, { 'subprotocol relay.v1 selected': function (r) { return header(r.headers, 'sec-websocket-protocol') === SUBPROTOCOL; } });
  }
  return this.result;
};

/** Runs one connection of the conversation `conv` to its end. */
export function runConnection(settings, identity, plan, conv) {
  conv.connects++;
  return new Connection(settings, identity, plan, conv).run();
}
