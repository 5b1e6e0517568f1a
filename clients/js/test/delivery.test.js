// Frame delivery: exactly once and in order, gaps, epochs, acks, cursors, handler replacement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, frame, memoryStorage, URL } from './fakes.js';
import { RelayClient } from '../relay-client.js';

async function subscribed(h, thread = 'a', head = 0, epoch = 'e1') {
  const ws = await connect(h);
  const answer = h.client.subscribe(thread);
  ws.serverSend({ type: 'subscribed', thread, epoch, head });
  assert.deepEqual(await answer, { epoch, head });
  return ws;
}

const seqs = (frames) => frames.map((f) => f.seq);

test('subscribe resolves with epoch and head; without a cursor it asks for all retained frames', async () => {
  const h = harness();
  const ws = await subscribed(h, 'a', 5);
  assert.deepEqual(ws.messages('subscribe'), [{ type: 'subscribe', thread: 'a', after: 0 }]);
});

test('duplicates are dropped: each seq is delivered once, in order', async () => {
  const h = harness();
  const ws = await subscribed(h);
  for (const seq of [1, 2, 2, 1, 3, 3, 4]) ws.serverSend(frame('a', seq));
  assert.deepEqual(seqs(h.events.frame), [1, 2, 3, 4]);
  assert.deepEqual(h.client.cursor('a'), { epoch: 'e1', seq: 4 });
});

test('frames replayed after a reconnect are de-duplicated against the cursor', async () => {
  const h = harness();
  const ws1 = await subscribed(h);
  for (const seq of [1, 2, 3]) ws1.serverSend(frame('a', seq));
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  const ws2 = await connect(h);
  assert.deepEqual(ws2.sent[0].resume, [{ thread: 'a', after: 3, epoch: 'e1' }]);
  ws2.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 5 });
  for (const seq of [2, 3, 4, 5]) ws2.serverSend(frame('a', seq)); // a server replaying a little too much
  assert.deepEqual(seqs(h.events.frame), [1, 2, 3, 4, 5]);
});

test('a gap re-subscribes from the cursor and ignores frames past it until answered', async () => {
  const h = harness();
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1));
  ws.serverSend(frame('a', 3)); // 2 is missing
  ws.serverSend(frame('a', 4));
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'a', after: 1, epoch: 'e1' });
  assert.equal(ws.messages('subscribe').length, 2, 'one re-subscribe, not one per out-of-order frame');
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 4 });
  for (const seq of [2, 3, 4]) ws.serverSend(frame('a', seq));
  assert.deepEqual(seqs(h.events.frame), [1, 2, 3, 4]);
});

test('frames of another epoch are never delivered', async () => {
  const h = harness();
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1, { epoch: 'old' }));
  ws.serverSend(frame('a', 1));
  assert.deepEqual(
    h.events.frame.map((f) => f.epoch),
    ['e1'],
  );
});

test('frames of threads not subscribed are ignored; threads are ordered independently', async () => {
  const h = harness();
  const ws = await subscribed(h, 'a');
  h.client.subscribe('b');
  ws.serverSend({ type: 'subscribed', thread: 'b', epoch: 'e1', head: 0 });
  ws.serverSend(frame('zzz', 1));
  ws.serverSend(frame('a', 1));
  ws.serverSend(frame('b', 1));
  ws.serverSend(frame('a', 2));
  ws.serverSend(frame('b', 2));
  assert.deepEqual(
    h.events.frame.map((f) => `${f.thread}${f.seq}`),
    ['a1', 'b1', 'a2', 'b2'],
  );
});

test('acks are cumulative and batched on a timer', async () => {
  const h = harness();
  const ws = await subscribed(h);
  for (const seq of [1, 2, 3]) ws.serverSend(frame('a', seq));
  assert.deepEqual(ws.messages('ack'), []);
  await h.clock.advance(49);
  assert.deepEqual(ws.messages('ack'), []);
  await h.clock.advance(1);
  assert.deepEqual(ws.messages('ack'), [{ type: 'ack', thread: 'a', seq: 3 }]);
  await h.clock.advance(1000);
  assert.equal(ws.messages('ack').length, 1, 'nothing new, nothing sent');
});

test('a full batch is acknowledged at once', async () => {
  const h = harness();
  const ws = await subscribed(h);
  for (let seq = 1; seq <= 32; seq++) ws.serverSend(frame('a', seq));
  assert.deepEqual(ws.messages('ack'), [{ type: 'ack', thread: 'a', seq: 32 }]);
  for (let seq = 33; seq <= 70; seq++) ws.serverSend(frame('a', seq));
  assert.deepEqual(
    ws.messages('ack').map((m) => m.seq),
    [32, 64],
  );
  await h.clock.advance(50);
  assert.deepEqual(
    ws.messages('ack').map((m) => m.seq),
    [32, 64, 70],
  );
});

test('ack batching tunables are honoured', async () => {
  const h = harness({ ackBatchSize: 2, ackDelayMs: 5 });
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1));
  ws.serverSend(frame('a', 2));
  assert.deepEqual(ws.messages('ack'), [{ type: 'ack', thread: 'a', seq: 2 }]);
  ws.serverSend(frame('a', 3));
  await h.clock.advance(5);
  assert.deepEqual(ws.messages('ack').at(-1), { type: 'ack', thread: 'a', seq: 3 });
});

test('cursors are kept in storage per url and thread; a new client (page reload) resumes from them', async () => {
  const storage = memoryStorage();
  const h1 = harness({ storage });
  const ws = await subscribed(h1);
  for (const seq of [1, 2, 3]) ws.serverSend(frame('a', seq));
  assert.deepEqual(JSON.parse(storage.getItem(`relay.cursor|${URL}|a`)), { epoch: 'e1', seq: 3 });

  const h2 = harness({ storage }); // the reloaded page
  assert.deepEqual(h2.client.cursor('a'), { epoch: 'e1', seq: 3 });
  const ws2 = await connect(h2);
  h2.client.subscribe('a');
  assert.deepEqual(ws2.messages('subscribe'), [{ type: 'subscribe', thread: 'a', after: 3, epoch: 'e1' }]);
  ws2.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 4 });
  ws2.serverSend(frame('a', 3));
  ws2.serverSend(frame('a', 4));
  assert.deepEqual(seqs(h2.events.frame), [4]);
});

test('cursor storage is keyed by url: another server does not reuse it', async () => {
  const storage = memoryStorage();
  storage.setItem(`relay.cursor|${URL}|a`, JSON.stringify({ epoch: 'e1', seq: 9 }));
  const h = harness({ storage, url: 'ws://other.test/ws' });
  assert.deepEqual(h.client.cursor('a'), { epoch: null, seq: 0 });
});

test('cursorScope separates the cursors of two users of one tab', async () => {
  const storage = memoryStorage();
  const alice = harness({ storage, cursorScope: 'alice' });
  const ws = await subscribed(alice);
  ws.serverSend(frame('a', 1));
  assert.deepEqual(JSON.parse(storage.getItem(`relay.cursor|${URL}|alice|a`)), { epoch: 'e1', seq: 1 });
  const bob = harness({ storage, cursorScope: 'bob' });
  assert.deepEqual(bob.client.cursor('a'), { epoch: null, seq: 0 });
});

test('corrupt or blocked storage falls back to starting from 0', async () => {
  const broken = {
    getItem: () => '{not json',
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  };
  const h = harness({ storage: broken });
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1));
  assert.deepEqual(seqs(h.events.frame), [1]);
  assert.deepEqual(h.client.cursor('a'), { epoch: 'e1', seq: 1 });
});

test('subscribe with an explicit after replaces the cursor', async () => {
  const h = harness();
  const ws = await subscribed(h);
  for (const seq of [1, 2, 3]) ws.serverSend(frame('a', seq));
  const again = h.client.subscribe('a', { after: 0 });
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'a', after: 0 });
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 3 });
  await again;
  for (const seq of [1, 2, 3]) ws.serverSend(frame('a', seq));
  assert.deepEqual(seqs(h.events.frame), [1, 2, 3, 1, 2, 3]);
});

test('a new cursor given between hello and welcome is requested after welcome', async () => {
  const h = harness();
  const ws1 = await subscribed(h);
  for (const seq of [1, 2, 3]) ws1.serverSend(frame('a', seq));
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  const ws2 = h.WebSocket.last;
  ws2.serverOpen(); // hello resumes 'a' after 3
  h.client.subscribe('a', { after: 0 });
  ws2.serverSend({ type: 'welcome', session: 's2', heartbeat: 25000, exp: 1 });
  assert.deepEqual(ws2.messages('subscribe'), [{ type: 'subscribe', thread: 'a', after: 0 }]);
});

test('subscribing again without after is idempotent: no new request, no replay', async () => {
  const h = harness();
  const ws = await subscribed(h, 'a', 0);
  ws.serverSend(frame('a', 1));
  assert.deepEqual(await h.client.subscribe('a'), { epoch: 'e1', head: 1 });
  assert.equal(ws.messages('subscribe').length, 1);
});

test('unsubscribe stops delivery and sends unsubscribe; the stored cursor remains', async () => {
  const h = harness();
  const ws = await subscribed(h);
  ws.serverSend(frame('a', 1));
  h.client.unsubscribe('a');
  ws.serverSend(frame('a', 2));
  assert.deepEqual(ws.messages('unsubscribe'), [{ type: 'unsubscribe', thread: 'a' }]);
  assert.deepEqual(seqs(h.events.frame), [1]);
  assert.deepEqual(h.client.cursor('a'), { epoch: 'e1', seq: 1 });
});

test('handlers are looked up at dispatch time: replacing one never reconnects and loses nothing', async () => {
  const h = harness();
  const ws = await subscribed(h);
  const firstSeen = [];
  const secondSeen = [];
  const first = (f) => firstSeen.push(f.seq);
  const second = (f) => secondSeen.push(f.seq);
  h.client.on('frame', first);
  ws.serverSend(frame('a', 1));
  for (let i = 0; i < 100; i++) {
    const replacement = (f) => secondSeen.push(f.seq);
    h.client.on('frame', replacement);
    h.client.off('frame', replacement);
  }
  h.client.off('frame', first);
  h.client.on('frame', second);
  ws.serverSend(frame('a', 2));
  assert.deepEqual(firstSeen, [1]);
  assert.deepEqual(secondSeen, [2]);
  assert.equal(h.WebSocket.instances.length, 1);
});

test('on() returns an unsubscribe function', async () => {
  const h = harness();
  const ws = await subscribed(h);
  const seen = [];
  const off = h.client.on('frame', (f) => seen.push(f.seq));
  ws.serverSend(frame('a', 1));
  off();
  ws.serverSend(frame('a', 2));
  assert.deepEqual(seen, [1]);
});

test('a throwing handler is reported and does not stop the others or the cursor', async () => {
  const h = harness();
  const ws = await subscribed(h);
  h.client.on('frame', () => {
    throw new Error('app bug');
  });
  const after = [];
  h.client.on('frame', (f) => after.push(f.seq));
  ws.serverSend(frame('a', 1));
  assert.deepEqual(after, [1]);
  assert.equal(h.events.error.at(-1).message, 'app bug');
  assert.equal(h.client.cursor('a').seq, 1);
});

test('invalid thread ids and cursors are refused without a round trip', async () => {
  const h = harness();
  const ws = await connect(h);
  await assert.rejects(h.client.subscribe('bad thread!'), { code: 'bad_request' });
  await assert.rejects(h.client.subscribe('a', { after: -1 }), { code: 'bad_request' });
  assert.deepEqual(ws.messages('subscribe'), []);
});

test('a subscribe refused with bad_request rejects and is not resumed later', async () => {
  const h = harness();
  const ws = await connect(h);
  const answer = h.client.subscribe('a');
  ws.serverSend({ type: 'error', code: 'bad_request', message: 'nope', ref: 'a' });
  await assert.rejects(answer, { code: 'bad_request' });
  ws.serverClose(1006);
  await h.clock.advance(1000);
  h.WebSocket.last.serverOpen();
  assert.deepEqual(h.WebSocket.last.sent[0].resume, []);
});

test('a subscribe refused with internal is retried after a backoff', async () => {
  const h = harness();
  const ws = await connect(h);
  const answer = h.client.subscribe('a');
  ws.serverSend({ type: 'error', code: 'internal', message: 'journal unreachable', ref: 'a' });
  assert.equal(ws.messages('subscribe').length, 1);
  await h.clock.advance(500);
  assert.equal(ws.messages('subscribe').length, 2);
  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e1', head: 0 });
  assert.deepEqual(await answer, { epoch: 'e1', head: 0 });
});

test('messages that are not JSON objects with a type are reported, not fatal', async () => {
  const h = harness();
  const ws = await subscribed(h);
  ws.serverSend('not json');
  ws.serverSend('[1,2]');
  ws.serverSend(frame('a', 1));
  assert.deepEqual(
    h.events.error.map((e) => e.code),
    ['bad_message', 'bad_message'],
  );
  assert.deepEqual(seqs(h.events.frame), [1]);
});

test('a default client without storage access still works (in-memory cursors)', async () => {
  const client = new RelayClient({ url: URL, storage: null, WebSocket: class {}, window: null, document: null });
  assert.deepEqual(client.cursor('a'), { epoch: null, seq: 0 });
  client.close();
});
