// Compaction: a `compacted {from, to}` notice counts its seqs as processed, never as a gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, frame } from './fakes.js';

async function subscribed(h, thread = 'a', head = 0, epoch = 'e1') {
  const ws = await connect(h);
  const answer = h.client.subscribe(thread);
  ws.serverSend({ type: 'subscribed', thread, epoch, head });
  await answer;
  return ws;
}

const compacted = (thread, from, to, epoch = 'e1') => ({ type: 'compacted', thread, epoch, from, to });

test('a compacted run moves the cursor to its end and the next frame follows without a gap', async () => {
  const h = harness();
  const compactions = [];
  h.client.on('compacted', (e) => compactions.push(e));
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1));
  ws.serverSend(compacted('a', 2, 400));
  ws.serverSend(frame('a', 401, { kind: 'message', replyTo: 'q1', data: { text: 'the whole reply' } }));
  assert.deepEqual(h.events.frame.map((f) => f.seq), [1, 401]);
  assert.deepEqual(h.client.cursor('a'), { epoch: 'e1', seq: 401 });
  assert.deepEqual(compactions, [{ thread: 'a', epoch: 'e1', from: 2, to: 400 }]);
  assert.equal(ws.messages('subscribe').length, 1, 'no re-subscribe: a run is not a gap');
});

test('acks may name the last seq of a run', async () => {
  const h = harness();
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1));
  ws.serverSend(compacted('a', 2, 9));
  await h.clock.advance(100);
  assert.deepEqual(ws.messages('ack').at(-1), { type: 'ack', thread: 'a', seq: 9 });
});

test('a run already covered is ignored, one that overlaps moves the cursor, one beyond it is a gap', async () => {
  const h = harness();
  const ws = await subscribed(h);
  for (const seq of [1, 2, 3]) ws.serverSend(frame('a', seq));
  ws.serverSend(compacted('a', 2, 3));
  assert.deepEqual(h.client.cursor('a').seq, 3);
  ws.serverSend(compacted('a', 2, 6)); // a replay overlapping what was processed
  assert.deepEqual(h.client.cursor('a').seq, 6);
  ws.serverSend(compacted('a', 9, 12)); // 7 and 8 are missing
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'a', after: 6, epoch: 'e1' });
  assert.deepEqual(h.client.cursor('a').seq, 6);
});

test('a run of another epoch is ignored', async () => {
  const h = harness();
  const ws = await subscribed(h);
  ws.serverSend(compacted('a', 1, 5, 'old'));
  assert.deepEqual(h.client.cursor('a').seq, 0);
});

test('a resume after a long absence keeps going across runs and ends at head', async () => {
  const h = harness();
  const ws1 = await subscribed(h);
  for (let seq = 1; seq <= 50; seq++) ws1.serverSend(frame('a', seq, { kind: 'chunk', replyTo: 'q1' }));
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  assert.deepEqual(ws2.sent[0].resume, [{ thread: 'a', after: 50, epoch: 'e1' }]);
  ws2.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 1212 });
  // Turn 1's reply ends, turns 2 and 3 were compacted down to their conversation frames.
  ws2.serverSend(compacted('a', 51, 402));
  ws2.serverSend(frame('a', 403, { kind: 'message', replyTo: 'q1', data: { text: 'r1' } }));
  ws2.serverSend(compacted('a', 404, 404));
  ws2.serverSend(frame('a', 405, { kind: 'user_message', id: 'q2', data: { text: 'q2' } }));
  ws2.serverSend(compacted('a', 406, 807));
  ws2.serverSend(frame('a', 808, { kind: 'message', replyTo: 'q2', data: { text: 'r2' } }));
  ws2.serverSend(compacted('a', 809, 1212));
  assert.deepEqual(h.client.cursor('a'), { epoch: 'e1', seq: 1212 });
  const messages = h.events.frame.filter((f) => f.kind === 'message').map((f) => f.replyTo);
  assert.deepEqual(messages, ['q1', 'q2']);
  assert.equal(ws2.messages('subscribe').length, 0);
});
