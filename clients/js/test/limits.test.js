// Limits (PROTOCOL.md "Limits"): `error rate_limited` / `limit_exceeded` fail that one call, never
// the connection; only `internal` is retried; close 4029 still reconnects with backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, settle, frame } from './fakes.js';

/** The connection stayed: one socket, never closed by the client, state still open, no retry timer. */
function assertNoReconnect(h, ws) {
  assert.equal(h.WebSocket.instances.length, 1, 'no new socket');
  assert.equal(ws.closedWith, null, 'the client did not close the socket');
  assert.equal(h.client.state, 'open');
  assert.ok(!h.events.state.some((e) => e.s === 'reconnecting'), 'never reconnecting');
}

/** Drop the connection, let the backoff (random 0.5 -> 500 ms) pass, open and welcome the next one. */
async function reconnect(h, ws) {
  ws.serverClose(1006);
  await h.clock.advance(1000);
  return connect(h, { session: 's2' });
}

test('a send answered rate_limited rejects with the code and message, is dropped and never reconnects', async () => {
  const h = harness();
  const ws = await connect(h);
  const sent = h.client.send('a', 'one too many');
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'too many replies queued for a', ref: 'm1' });
  await assert.rejects(sent, (err) => {
    assert.equal(err.name, 'RelayError');
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.message, 'too many replies queued for a');
    assert.equal(err.ref, 'm1');
    return true;
  });
  await h.clock.advance(20_000); // longer than any retry backoff (16 s cap), shorter than the dead-connection limit
  assert.deepEqual(ws.messages('send').map((m) => m.id), ['m1']);
  assertNoReconnect(h, ws);
  assert.deepEqual(h.events.error, [], 'a send error rejects its promise only');
  const ws2 = await reconnect(h, ws);
  assert.deepEqual(ws2.messages('send'), [], 'not resent on reconnect');
});

test('a rate_limited send leaves the other pending sends alone; they are still resent and resolve', async () => {
  const h = harness();
  const ws = await connect(h);
  const refused = h.client.send('a', 'x');
  const kept = h.client.send('a', 'y');
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'later', ref: 'm1' });
  await assert.rejects(refused, { code: 'rate_limited' });
  const ws2 = await reconnect(h, ws);
  assert.deepEqual(ws2.messages('send'), [{ type: 'send', thread: 'a', id: 'm2', text: 'y' }]);
  ws2.serverSend({ type: 'accepted', id: 'm2', thread: 'a', seq: 3 });
  assert.deepEqual(await kept, { id: 'm2', seq: 3 });
});

test('a send answered internal is still retried with the same id, on the same connection', async () => {
  const h = harness();
  const ws = await connect(h);
  const sent = h.client.send('a', 'x');
  ws.serverSend({ type: 'error', code: 'internal', message: 'journal unreachable', ref: 'm1' });
  await h.clock.advance(500); // attempt 0: window 1 s, random 0.5
  assert.deepEqual(ws.messages('send').map((m) => m.id), ['m1', 'm1']);
  ws.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 1 });
  assert.deepEqual(await sent, { id: 'm1', seq: 1 });
  assertNoReconnect(h, ws);
});

test('a subscribe answered limit_exceeded rejects with the code, is not resumed and never reconnects', async () => {
  const h = harness();
  const ws = await connect(h);
  const answer = h.client.subscribe('t257');
  ws.serverSend({ type: 'error', code: 'limit_exceeded', message: 'over 256 subscriptions', ref: 't257' });
  let rejection;
  await assert.rejects(answer, (err) => {
    rejection = err;
    return err.code === 'limit_exceeded' && err.message === 'over 256 subscriptions' && err.ref === 't257' && err.thread === 't257';
  });
  assert.equal(h.events.error.length, 1);
  assert.equal(h.events.error[0], rejection, 'the error event carries the same error');
  await h.clock.advance(20_000);
  assert.equal(ws.messages('subscribe').length, 1, 'not retried');
  assertNoReconnect(h, ws);
  ws.serverSend(frame('t257', 1)); // a late frame of a thread the client no longer holds
  assert.deepEqual(h.events.frame, []);
  const ws2 = await reconnect(h, ws);
  assert.deepEqual(ws2.messages('hello')[0].resume, []);
  assert.deepEqual(ws2.messages('subscribe'), []);
});

test('after limit_exceeded the thread can be subscribed again from its stored cursor', async () => {
  const h = harness();
  const ws = await connect(h);
  const first = h.client.subscribe('a');
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 2 });
  await first;
  ws.serverSend(frame('a', 1));
  ws.serverSend(frame('a', 2));
  const ws2 = await reconnect(h, ws);
  ws2.serverSend({ type: 'error', code: 'limit_exceeded', message: 'full', ref: 'a' });
  await settle();
  assert.equal(h.client.cursor('a').seq, 2, 'the stored cursor is kept');
  const again = h.client.subscribe('a');
  assert.deepEqual(ws2.messages('subscribe'), [{ type: 'subscribe', thread: 'a', after: 2, epoch: 'e1' }]);
  ws2.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 2 });
  assert.deepEqual(await again, { epoch: 'e1', head: 2 });
});

test('a subscribe answered rate_limited rejects with the code and is not retried', async () => {
  const h = harness();
  const ws = await connect(h);
  const answer = h.client.subscribe('a');
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'slow down', ref: 'a' });
  await assert.rejects(answer, { code: 'rate_limited', thread: 'a' });
  await h.clock.advance(20_000);
  assert.equal(ws.messages('subscribe').length, 1);
  assertNoReconnect(h, ws);
});

test('a hello.resume entry answered limit_exceeded drops only that thread and emits an error event', async () => {
  const h = harness();
  const ws = await connect(h);
  const a = h.client.subscribe('a');
  const b = h.client.subscribe('b');
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 0 });
  ws.serverSend({ type: 'subscribed', thread: 'b', epoch: 'e1', head: 0 });
  await Promise.all([a, b]);
  ws.serverClose(1006);
  await h.clock.advance(1000);
  await settle();
  const ws2 = h.WebSocket.last;
  ws2.serverOpen();
  assert.deepEqual(ws2.messages('hello')[0].resume.map((r) => r.thread), ['a', 'b']);
  ws2.serverSend({ type: 'welcome', session: 's2', heartbeat: 25000, exp: 2_000_000_000 });
  ws2.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 0 });
  ws2.serverSend({ type: 'error', code: 'limit_exceeded', message: 'over 1 subscription', ref: 'b' });
  await settle();
  assert.deepEqual(
    h.events.error.map((e) => [e.code, e.ref, e.thread]),
    [['limit_exceeded', 'b', 'b']],
  );
  assert.equal(h.events.state.filter((e) => e.s === 'reconnecting').length, 1, 'only the drop above');
  assert.equal(h.WebSocket.instances.length, 2);
  assert.equal(ws2.closedWith, null);
  assert.equal(h.client.state, 'open');
  ws2.serverSend(frame('a', 1));
  ws2.serverSend(frame('b', 1));
  assert.deepEqual(h.events.frame.map((f) => f.thread), ['a'], 'b is no longer delivered');
  const ws3 = await reconnect(h, ws2);
  assert.deepEqual(ws3.messages('hello')[0].resume.map((r) => r.thread), ['a']);
});

test('a resync after a gap answered limit_exceeded drops the thread without reconnecting', async () => {
  const h = harness();
  const ws = await connect(h);
  const a = h.client.subscribe('a');
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 0 });
  await a;
  ws.serverSend(frame('a', 3)); // gap: subscribes again from 0
  assert.equal(ws.messages('subscribe').length, 2);
  ws.serverSend({ type: 'error', code: 'limit_exceeded', message: 'full', ref: 'a' });
  await settle();
  assert.equal(h.events.error.at(-1).thread, 'a');
  await h.clock.advance(20_000);
  assert.equal(ws.messages('subscribe').length, 2);
  assertNoReconnect(h, ws);
});

test('an error that answers nothing pending is only reported, never a reconnect', async () => {
  const h = harness();
  const ws = await connect(h);
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'over the command rate', ref: 'gone' });
  await settle();
  assert.deepEqual(h.events.error.map((e) => [e.code, e.ref, e.thread]), [['rate_limited', 'gone', undefined]]);
  assertNoReconnect(h, ws);
});

test('close 4029 (too many connections) still reconnects with backoff and resumes subscriptions and sends', async () => {
  const h = harness();
  const ws = await connect(h);
  const a = h.client.subscribe('a');
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 0 });
  await a;
  const sent = h.client.send('a', 'x');
  ws.serverClose(4029, 'too many connections');
  assert.deepEqual(h.events.state.at(-1), { s: 'reconnecting', code: 4029, reason: 'too many connections', delay: 500, attempt: 1, retryAt: h.clock.now() + 500 });
  await h.clock.advance(499);
  assert.equal(h.WebSocket.instances.length, 1, 'waits out the backoff');
  await h.clock.advance(1);
  const ws2 = await connect(h, { session: 's2' });
  assert.equal(h.WebSocket.instances.length, 2);
  assert.deepEqual(ws2.messages('hello')[0].resume, [{ thread: 'a', after: 0, epoch: 'e1' }]);
  assert.deepEqual(ws2.messages('send'), [{ type: 'send', thread: 'a', id: 'm1', text: 'x' }]);
  ws2.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 1 });
  assert.deepEqual(await sent, { id: 'm1', seq: 1 });
});
