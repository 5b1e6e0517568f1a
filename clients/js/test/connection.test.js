// Connection lifecycle: handshake, hello/resume, states, close-code policy, backoff, wake-ups, heartbeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, settle, frame, URL } from './fakes.js';

test('offers relay.v1 and sends hello with a fresh token first', async () => {
  const h = harness();
  const ws = await connect(h);
  assert.equal(ws.url, URL);
  assert.deepEqual(ws.protocols, ['relay.v1']);
  assert.deepEqual(ws.sent[0], { type: 'hello', token: 'token-1', resume: [] });
  assert.deepEqual(h.tokens, ['connect']);
  assert.deepEqual(
    h.events.state.map((e) => e.s),
    ['connecting', 'open'],
  );
  assert.equal(h.client.state, 'open');
});

test('state is open only after welcome, not at socket open', async () => {
  const h = harness();
  await settle();
  h.WebSocket.last.serverOpen();
  assert.equal(h.client.state, 'connecting');
  h.WebSocket.last.serverSend({ type: 'welcome', session: 's', heartbeat: 1000, exp: 1 });
  assert.equal(h.client.state, 'open');
});

test('hello.resume carries every subscribed thread with epoch and cursor', async () => {
  const h = harness();
  const ws1 = await connect(h);
  h.client.subscribe('a');
  h.client.subscribe('b', { after: 0 });
  ws1.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 3 });
  ws1.serverSend({ type: 'subscribed', thread: 'b', epoch: 'e9', head: 0 });
  for (const seq of [1, 2, 3]) ws1.serverSend(frame('a', seq));
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  const ws2 = h.WebSocket.last;
  assert.notEqual(ws2, ws1);
  ws2.serverOpen();
  assert.deepEqual(ws2.sent[0], {
    type: 'hello',
    token: 'token-2',
    resume: [
      { thread: 'a', after: 3, epoch: 'e1' },
      { thread: 'b', after: 0, epoch: 'e9' },
    ],
  });
});

test('a subscribe made before welcome is sent after welcome, not lost', async () => {
  const h = harness();
  await settle();
  const ws = h.WebSocket.last;
  ws.serverOpen(); // hello already sent with an empty resume
  const answer = h.client.subscribe('late');
  ws.serverSend({ type: 'welcome', session: 's', heartbeat: 25000, exp: 1 });
  assert.deepEqual(ws.messages('subscribe'), [{ type: 'subscribe', thread: 'late', after: 0 }]);
  ws.serverSend({ type: 'subscribed', thread: 'late', epoch: 'e1', head: 7 });
  assert.deepEqual(await answer, { epoch: 'e1', head: 7 });
});

for (const code of [1001, 1005, 1006, 1011, 1012, 1013, 4000, 4001, 4003, 4008, 4029, 4401]) {
  test(`close ${code} reconnects and resumes`, async () => {
    const h = harness();
    const ws = await connect(h);
    ws.serverClose(code, 'bye');
    const state = h.events.state.at(-1);
    assert.equal(state.s, 'reconnecting');
    assert.equal(state.code, code);
    assert.equal(state.reason, 'bye');
    assert.ok(state.delay >= 0 && state.delay < 1000, 'first retry within 1 s');
    await h.clock.advance(state.delay);
    assert.equal(h.WebSocket.instances.length, 2);
    assert.equal(h.tokens.at(-1), code === 4401 ? 'unauthorized' : 'reconnect');
  });
}

for (const code of [1000, 4500, 4503, 4513, 4999]) {
  test(`close ${code} stops with state closed and the reason`, async () => {
    const h = harness();
    const ws = await connect(h);
    const pending = h.client.send('t', 'hi');
    ws.serverClose(code, 'the reason');
    assert.deepEqual(h.events.state.at(-1), { s: 'closed', code, reason: 'the reason' });
    await assert.rejects(pending, { code: 'closed', closeCode: code });
    await h.clock.advance(60_000);
    assert.equal(h.WebSocket.instances.length, 1, 'no reconnect');
    assert.equal(h.window.count('online'), 0, 'environment listeners removed');
  });
}

test('4401 asks getToken for a fresh token, then reconnects with it in hello', async () => {
  const h = harness();
  const ws1 = await connect(h);
  ws1.serverClose(4401, 'token expired');
  await h.clock.advance(1000);
  const ws2 = h.WebSocket.last;
  ws2.serverOpen();
  assert.deepEqual(h.tokens, ['connect', 'unauthorized']);
  assert.equal(ws2.sent[0].token, 'token-2');
});

test('backoff grows with full jitter while connections fail, capped at 16 s', async () => {
  const h = harness({ random: () => 0.999 });
  await settle();
  const windows = [];
  for (let i = 0; i < 8; i++) {
    h.WebSocket.last.serverClose(1006);
    const { delay } = h.events.state.at(-1);
    windows.push(delay);
    await h.clock.advance(delay);
  }
  assert.deepEqual(windows, [999, 1998, 3996, 7992, 15984, 15984, 15984, 15984]);
  assert.equal(h.WebSocket.instances.length, 9);
});

test('a successful welcome starts the backoff over', async () => {
  const h = harness({ random: () => 0.999 });
  await settle();
  for (let i = 0; i < 3; i++) {
    h.WebSocket.last.serverClose(1006);
    await h.clock.advance(h.events.state.at(-1).delay);
  }
  const ws = await connect(h);
  ws.serverClose(1012);
  assert.equal(h.events.state.at(-1).delay, 999);
});

test('after an overload close the backoff keeps growing until a connection stays up', async () => {
  const h = harness({ random: () => 0.999 });
  let ws = await connect(h);
  ws.serverClose(4029);
  assert.equal(h.events.state.at(-1).delay, 999);
  await h.clock.advance(999);
  ws = await connect(h);
  ws.serverClose(4029); // welcomed but rate limited again at once
  assert.equal(h.events.state.at(-1).delay, 1998);
  await h.clock.advance(1998);
  ws = await connect(h);
  await h.clock.advance(10_000); // stayed up for stableAfterMs
  ws.serverClose(1006);
  assert.equal(h.events.state.at(-1).delay, 999);
});

test('close() sends 1000, ends in closed and never reconnects', async () => {
  const h = harness();
  const ws = await connect(h);
  h.client.close();
  assert.deepEqual(ws.closedWith, { code: 1000, reason: 'client closed' });
  assert.deepEqual(h.events.state.at(-1), { s: 'closed', code: 1000, reason: 'client closed' });
  ws.serverClose(1006); // the late close event of the old socket is ignored
  await h.clock.advance(60_000);
  assert.equal(h.WebSocket.instances.length, 1);
});

test('close() before the first connection attempt opens no socket', async () => {
  const h = harness();
  h.client.close();
  await h.clock.advance(60_000);
  assert.equal(h.WebSocket.instances.length, 0);
});

test('connect() reopens after a terminal close', async () => {
  const h = harness();
  const ws = await connect(h);
  h.client.subscribe('a').catch(() => {}); // rejected by the terminal close
  ws.serverClose(4503, 'operator');
  h.client.connect();
  await settle();
  h.WebSocket.last.serverOpen();
  assert.deepEqual(h.WebSocket.last.sent[0].resume, [{ thread: 'a', after: 0 }]);
});

test('the online event retries at once instead of waiting for the backoff', async () => {
  const h = harness({ random: () => 0.999 });
  const ws = await connect(h);
  ws.serverClose(1006);
  assert.equal(h.WebSocket.instances.length, 1);
  h.window.dispatch('online');
  await settle();
  assert.equal(h.WebSocket.instances.length, 2);
  assert.ok(!h.clock.pendingDelays().includes(999), 'the backoff timer is gone');
  assert.equal(h.events.state.at(-1).s, 'connecting');
});

test('returning to a visible tab retries at once; a hidden one does not', async () => {
  const h = harness({ random: () => 0.999 });
  const ws = await connect(h);
  ws.serverClose(1006);
  h.document.visibilityState = 'hidden';
  h.document.dispatch('visibilitychange');
  await settle();
  assert.equal(h.WebSocket.instances.length, 1);
  h.document.visibilityState = 'visible';
  h.document.dispatch('visibilitychange');
  await settle();
  assert.equal(h.WebSocket.instances.length, 2);
});

test('silence longer than heartbeat + 10 s closes the socket and reconnects', async () => {
  const h = harness();
  const ws = await connect(h, { heartbeat: 1000 });
  await h.clock.advance(10_999);
  assert.equal(h.client.state, 'open');
  ws.serverSend({ type: 'ping' }); // any message is a sign of life
  await h.clock.advance(10_999);
  assert.equal(h.client.state, 'open');
  await h.clock.advance(1);
  assert.equal(ws.closedWith?.code, 4000);
  const state = h.events.state.at(-1);
  assert.equal(state.s, 'reconnecting');
  assert.match(state.reason, /no message for 11000 ms/);
  await h.clock.advance(state.delay);
  assert.equal(h.WebSocket.instances.length, 2);
});

test('a handshake that never completes is abandoned after connectTimeoutMs', async () => {
  const h = harness({ connectTimeoutMs: 3000 });
  await settle();
  await h.clock.advance(2999);
  assert.equal(h.client.state, 'connecting');
  await h.clock.advance(1);
  assert.equal(h.client.state, 'reconnecting');
});

test('server ping is answered with pong', async () => {
  const h = harness();
  const ws = await connect(h);
  ws.serverSend({ type: 'ping' });
  assert.deepEqual(ws.sent.at(-1), { type: 'pong' });
});

test('a visible tab after sleep probes the connection with a ping and drops it if unanswered', async () => {
  const h = harness();
  const ws = await connect(h);
  h.document.dispatch('visibilitychange');
  assert.deepEqual(ws.sent.at(-1), { type: 'ping' });
  await h.clock.advance(5000);
  assert.equal(h.client.state, 'reconnecting');
});

test('an answered probe keeps the connection', async () => {
  const h = harness();
  const ws = await connect(h);
  h.window.dispatch('online');
  ws.serverSend({ type: 'pong' });
  await h.clock.advance(5000);
  assert.equal(h.client.state, 'open');
  assert.equal(h.WebSocket.instances.length, 1);
});

test('after sleeping past the deadline, becoming visible declares the connection dead at once', async () => {
  const h = harness();
  const ws = await connect(h, { heartbeat: 1000 });
  h.clock.time += 60_000; // the machine slept: timers did not run
  h.document.dispatch('visibilitychange');
  assert.equal(ws.closedWith?.code, 4000);
  assert.equal(h.client.state, 'reconnecting');
});

test('getToken failing on connect is retried with backoff', async () => {
  let calls = 0;
  const h = harness({
    getToken: async () => {
      calls++;
      if (calls === 1) throw new Error('auth server down');
      return 'good';
    },
  });
  await settle();
  assert.equal(h.WebSocket.instances.length, 0);
  assert.equal(h.client.state, 'reconnecting');
  assert.equal(h.events.error.at(-1).code, 'token_error');
  await h.clock.advance(1000);
  h.WebSocket.last.serverOpen();
  assert.equal(h.WebSocket.last.sent[0].token, 'good');
});

test('_debugDrop closes the socket like a failure; the client reconnects and resumes', async () => {
  const h = harness();
  const ws = await connect(h);
  h.client.subscribe('a');
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 1 });
  ws.serverSend(frame('a', 1));
  assert.equal(h.client._debugDrop(), true);
  assert.equal(ws.closedWith.code, 4000);
  ws.serverClose(4000, 'debug drop');
  await h.clock.advance(1000);
  h.WebSocket.last.serverOpen();
  assert.deepEqual(h.WebSocket.last.sent[0].resume, [{ thread: 'a', after: 1, epoch: 'e1' }]);
});

test('a WebSocket constructor that throws ends in closed with the reason', async () => {
  const h = harness({
    WebSocket: class {
      constructor() {
        throw new SyntaxError('bad url');
      }
    },
  });
  await settle();
  const last = h.events.state.at(-1);
  assert.equal(last.s, 'closed');
  assert.match(last.reason, /bad url/);
});
