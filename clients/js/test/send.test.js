// send / cancel: client ids, resend with the same id across reconnects, errors, retries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, settle } from './fakes.js';

test('send transmits a client-generated id and resolves with {id, seq} on accepted', async () => {
  const h = harness();
  const ws = await connect(h);
  const sent = h.client.send('a', 'hello');
  assert.deepEqual(ws.messages('send'), [{ type: 'send', thread: 'a', id: 'm1', text: 'hello' }]);
  ws.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 4 });
  assert.deepEqual(await sent, { id: 'm1', seq: 4 });
});

test('a send made while offline goes out after welcome', async () => {
  const h = harness();
  const sent = h.client.send('a', 'early');
  const ws = await connect(h);
  assert.deepEqual(ws.messages('send'), [{ type: 'send', thread: 'a', id: 'm1', text: 'early' }]);
  ws.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 1 });
  assert.deepEqual(await sent, { id: 'm1', seq: 1 });
});

test('an unaccepted send is resent with the SAME id after every reconnect, in send order', async () => {
  const h = harness();
  const ws1 = await connect(h);
  const first = h.client.send('a', 'one');
  const second = h.client.send('a', 'two');
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  assert.deepEqual(ws2.messages('send'), [
    { type: 'send', thread: 'a', id: 'm1', text: 'one' },
    { type: 'send', thread: 'a', id: 'm2', text: 'two' },
  ]);
  ws2.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 1 });
  ws2.serverClose(1012);
  await h.clock.advance(1000);
  const ws3 = await connect(h);
  assert.deepEqual(ws3.messages('send'), [{ type: 'send', thread: 'a', id: 'm2', text: 'two' }]);
  ws3.serverSend({ type: 'accepted', id: 'm2', thread: 'a', seq: 6 });
  assert.deepEqual(await first, { id: 'm1', seq: 1 });
  assert.deepEqual(await second, { id: 'm2', seq: 6 });
});

for (const code of ['bad_request', 'too_large', 'forbidden', 'rate_limited', 'limit_exceeded']) {
  test(`error ${code} for a pending send rejects it and it is not resent`, async () => {
    const h = harness();
    const ws = await connect(h);
    const sent = h.client.send('a', 'x');
    ws.serverSend({ type: 'error', code, message: 'refused', ref: 'm1' });
    await assert.rejects(sent, { code, message: 'refused', ref: 'm1' });
    ws.serverClose(1006);
    await h.clock.advance(1000);
    const ws2 = await connect(h);
    assert.deepEqual(ws2.messages('send'), []);
  });
}

for (const code of ['internal']) {
  test(`error ${code} for a pending send retries it with the same id after a backoff`, async () => {
    const h = harness();
    const ws = await connect(h);
    const sent = h.client.send('a', 'x');
    ws.serverSend({ type: 'error', code, message: 'later', ref: 'm1' });
    await h.clock.advance(499);
    assert.equal(ws.messages('send').length, 1);
    await h.clock.advance(1);
    assert.equal(ws.messages('send').length, 2);
    ws.serverSend({ type: 'error', code, message: 'later', ref: 'm1' });
    await h.clock.advance(1000); // second retry: window 2 s, random 0.5
    assert.deepEqual(
      ws.messages('send').map((m) => m.id),
      ['m1', 'm1', 'm1'],
    );
    ws.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 2 });
    assert.deepEqual(await sent, { id: 'm1', seq: 2 });
  });
}

test('empty and oversized texts are refused before sending', async () => {
  const h = harness();
  const ws = await connect(h);
  await assert.rejects(h.client.send('a', ''), { code: 'bad_request' });
  await assert.rejects(h.client.send('a', 'é'.repeat(8193)), { code: 'too_large' }); // 16386 bytes
  await assert.rejects(h.client.send('no spaces', 'x'), { code: 'bad_request' });
  assert.deepEqual(ws.messages('send'), []);
  h.client.send('a', 'é'.repeat(8192)); // exactly 16384 bytes is fine
  assert.equal(ws.messages('send').length, 1);
});

test('send after close() rejects with closed', async () => {
  const h = harness();
  await connect(h);
  h.client.close();
  await assert.rejects(h.client.send('a', 'x'), { code: 'closed' });
});

test('cancel is sent with replyTo while open', async () => {
  const h = harness();
  const ws = await connect(h);
  h.client.cancel('a', 'm7');
  assert.deepEqual(ws.messages('cancel'), [{ type: 'cancel', thread: 'a', replyTo: 'm7' }]);
});

test('cancel while offline is sent after the next welcome', async () => {
  const h = harness();
  const ws1 = await connect(h);
  ws1.serverClose(1006);
  h.client.cancel('a', 'm7');
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  assert.deepEqual(ws2.messages('cancel'), [{ type: 'cancel', thread: 'a', replyTo: 'm7' }]);
});

test('cancel of a send not yet accepted waits for accepted', async () => {
  const h = harness();
  const ws = await connect(h);
  h.client.send('a', 'long question');
  h.client.cancel('a', 'm1');
  assert.deepEqual(ws.messages('cancel'), []);
  ws.serverSend({ type: 'accepted', id: 'm1', thread: 'a', seq: 1 });
  assert.deepEqual(ws.messages('cancel'), [{ type: 'cancel', thread: 'a', replyTo: 'm1' }]);
});

test('error not_found for a cancel surfaces as an error event', async () => {
  const h = harness();
  const ws = await connect(h);
  h.client.cancel('a', 'm9');
  ws.serverSend({ type: 'error', code: 'not_found', message: 'nothing to cancel', ref: 'm9' });
  await settle();
  assert.equal(h.events.error.at(-1).code, 'not_found');
  assert.equal(h.events.error.at(-1).ref, 'm9');
});
