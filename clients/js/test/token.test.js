// Token freshness: getToken before every connect, in-band refresh on token_expiring, 4401 path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, settle } from './fakes.js';

test('getToken is called before every (re)connect and its token goes into hello', async () => {
  const h = harness();
  const ws1 = await connect(h);
  ws1.serverClose(1012);
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  assert.equal(ws1.sent[0].token, 'token-1');
  assert.equal(ws2.sent[0].token, 'token-2');
  assert.deepEqual(h.tokens, ['connect', 'reconnect']);
});

test('token_expiring asks getToken for a fresh token and refreshes in-band', async () => {
  const h = harness();
  const ws = await connect(h);
  ws.serverSend({ type: 'token_expiring', exp: 123 });
  await settle();
  assert.deepEqual(h.tokens, ['connect', 'expiring']);
  assert.deepEqual(ws.messages('refresh'), [{ type: 'refresh', token: 'token-2' }]);
  ws.serverSend({ type: 'refreshed', exp: 999 });
  assert.equal(h.client.exp, 999);
  assert.equal(h.WebSocket.instances.length, 1, 'no reconnect needed');
});

test('a getToken failure on token_expiring is reported; the 4401 close then gets a fresh token', async () => {
  let fail = false;
  let n = 0;
  const h = harness({
    getToken: async (ctx) => {
      if (fail) throw new Error('refresh endpoint down');
      return `t${++n}-${ctx.reason}`;
    },
  });
  const ws1 = await connect(h);
  fail = true;
  ws1.serverSend({ type: 'token_expiring', exp: 1 });
  await settle();
  assert.deepEqual(ws1.messages('refresh'), []);
  assert.equal(h.events.error.at(-1).code, 'token_error');
  assert.equal(h.client.state, 'open', 'the connection is left to the server 4401 path');
  fail = false;
  ws1.serverClose(4401, 'token expired');
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  assert.equal(ws2.sent[0].token, 't2-unauthorized');
  assert.equal(h.client.state, 'open');
});

test('a refresh token arriving after the connection changed is not sent on the new one', async () => {
  let release;
  const h = harness({
    getToken: async (ctx) => {
      if (ctx.reason === 'expiring') await new Promise((resolve) => (release = resolve));
      return 'tok';
    },
  });
  const ws1 = await connect(h);
  ws1.serverSend({ type: 'token_expiring', exp: 1 });
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  release();
  await settle();
  assert.deepEqual(ws2.messages('refresh'), []);
});

test('repeated 4401 closes back off instead of hammering the server', async () => {
  const h = harness({ random: () => 0.999 });
  await settle();
  const delays = [];
  for (let i = 0; i < 4; i++) {
    const ws = h.WebSocket.last;
    ws.serverOpen();
    ws.serverClose(4401, 'invalid token');
    delays.push(h.events.state.at(-1).delay);
    await h.clock.advance(delays.at(-1));
  }
  assert.deepEqual(delays, [999, 1998, 3996, 7992]);
  assert.deepEqual(h.tokens, ['connect', 'unauthorized', 'unauthorized', 'unauthorized', 'unauthorized']);
});
