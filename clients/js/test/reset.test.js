// `reset`: reload over HTTP (paged, de-duplicated), emit `reset`, subscribe again with the new epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, connect, frame, settle } from './fakes.js';

/** A fetch serving `frames` of one thread page by page, recording each request. */
function historyServer(frames, { epoch = 'e2', head = frames.length ? frames.at(-1).seq : 0, failFirst = 0 } = {}) {
  const requests = [];
  let failures = failFirst;
  const fetch = async (url, init) => {
    requests.push({ url, authorization: init?.headers?.Authorization });
    if (failures > 0) {
      failures--;
      return { ok: false, status: 503, json: async () => ({ code: 'unavailable', message: 'journal down' }) };
    }
    const query = new URL(url).searchParams;
    const after = Number(query.get('after'));
    const limit = Number(query.get('limit'));
    const page = frames.filter((f) => f.seq > after).slice(0, limit);
    return { ok: true, status: 200, json: async () => ({ thread: 'a', epoch, head, frames: page }) };
  };
  return { fetch, requests };
}

const seqs = (frames) => frames.map((f) => f.seq);

test('reset reloads every page over HTTP with a Bearer token, emits reset, then subscribes with the new epoch', async () => {
  const stored = Array.from({ length: 5 }, (_, i) => frame('a', i + 1, { epoch: 'e2' }));
  const server = historyServer(stored);
  const h = harness({ fetch: server.fetch, historyPageSize: 2 });
  const ws = await connect(h);
  const answer = h.client.subscribe('a', { after: 7 });
  ws.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 5, reason: 'ahead' });
  ws.serverSend(frame('a', 8, { epoch: 'e2' })); // stray frames while resetting are ignored
  await settle();

  assert.deepEqual(
    server.requests.map((r) => r.url),
    [
      'http://relay.test/api/threads/a/frames?after=0&limit=2',
      'http://relay.test/api/threads/a/frames?after=2&limit=2',
      'http://relay.test/api/threads/a/frames?after=4&limit=2',
    ],
  );
  assert.ok(server.requests.every((r) => /^Bearer token-\d+$/.test(r.authorization)));
  assert.equal(h.events.reset.length, 1);
  assert.equal(h.events.reset[0].thread, 'a');
  assert.equal(h.events.reset[0].epoch, 'e2');
  assert.deepEqual(seqs(h.events.reset[0].frames), [1, 2, 3, 4, 5]);
  assert.deepEqual(h.events.frame, []);
  assert.deepEqual(h.client.cursor('a'), { epoch: 'e2', seq: 5 });
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'a', after: 5, epoch: 'e2' });

  ws.serverSend({ type: 'subscribed', thread: 'a', epoch: 'e2', head: 5 });
  assert.deepEqual(await answer, { epoch: 'e2', head: 5 });
  ws.serverSend(frame('a', 5, { epoch: 'e2' }));
  ws.serverSend(frame('a', 6, { epoch: 'e2' }));
  assert.deepEqual(seqs(h.events.frame), [6]);
});

test('reloaded frames are de-duplicated and sorted even when pages overlap', async () => {
  const pages = [
    [frame('a', 1, { epoch: 'e2' }), frame('a', 2, { epoch: 'e2' })],
    [frame('a', 2, { epoch: 'e2' }), frame('a', 3, { epoch: 'e2' })],
  ];
  let call = 0;
  const fetch = async () => ({ ok: true, status: 200, json: async () => ({ thread: 'a', epoch: 'e2', head: 3, frames: pages[call++] ?? [] }) });
  const h = harness({ fetch });
  const ws = await connect(h);
  h.client.subscribe('a');
  ws.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 3, reason: 'epoch' });
  await settle();
  assert.deepEqual(seqs(h.events.reset[0].frames), [1, 2, 3]);
});

test('an empty thread reloads to an empty list and cursor 0', async () => {
  const server = historyServer([], { head: 0 });
  const h = harness({ fetch: server.fetch });
  const ws = await connect(h);
  h.client.subscribe('a', { after: 3 });
  ws.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 0, reason: 'ahead' });
  await settle();
  assert.deepEqual(h.events.reset, [{ thread: 'a', epoch: 'e2', frames: [] }]);
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'a', after: 0, epoch: 'e2' });
});

test('a failing reload is retried with backoff and reported', async () => {
  const stored = [frame('a', 1, { epoch: 'e2' })];
  const server = historyServer(stored, { failFirst: 2 });
  const h = harness({ fetch: server.fetch });
  const ws = await connect(h);
  h.client.subscribe('a');
  ws.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 1, reason: 'retention' });
  await settle();
  assert.equal(h.events.reset.length, 0);
  assert.equal(h.events.error.at(-1).code, 'unavailable');
  await h.clock.advance(500); // attempt 0: window 1 s, random 0.5
  assert.equal(h.events.reset.length, 0);
  await h.clock.advance(1000); // attempt 1: window 2 s
  assert.equal(h.events.reset.length, 1);
  assert.equal(server.requests.length, 3);
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'a', after: 1, epoch: 'e2' });
});

test('a reload finishing while disconnected resumes with the new cursor on the next hello', async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const fetch = async () => {
    await gate;
    return { ok: true, status: 200, json: async () => ({ thread: 'a', epoch: 'e2', head: 2, frames: [frame('a', 1, { epoch: 'e2' }), frame('a', 2, { epoch: 'e2' })] }) };
  };
  const h = harness({ fetch });
  const ws1 = await connect(h);
  h.client.subscribe('a');
  ws1.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 2, reason: 'epoch' });
  ws1.serverClose(1006);
  await h.clock.advance(1000);
  h.WebSocket.last.serverOpen();
  assert.deepEqual(h.WebSocket.last.sent[0].resume, [], 'a thread being reloaded is not resumed with its stale cursor');
  release();
  await settle();
  h.WebSocket.last.serverSend({ type: 'welcome', session: 's2', heartbeat: 25000, exp: 1 });
  assert.deepEqual(h.WebSocket.last.messages('subscribe'), [{ type: 'subscribe', thread: 'a', after: 2, epoch: 'e2' }]);
});

test('a reload overtaken by an explicit subscribe is discarded', async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const fetch = async () => {
    await gate;
    return { ok: true, status: 200, json: async () => ({ thread: 'a', epoch: 'e2', head: 1, frames: [frame('a', 1, { epoch: 'e2' })] }) };
  };
  const h = harness({ fetch });
  const ws = await connect(h);
  h.client.subscribe('a');
  ws.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 1, reason: 'epoch' });
  h.client.subscribe('a', { after: 0 });
  release();
  await settle();
  assert.equal(h.events.reset.length, 0);
});

test('history() pages until the head and stops at upTo', async () => {
  const stored = Array.from({ length: 10 }, (_, i) => frame('a', i + 1, { epoch: 'e2' }));
  const server = historyServer(stored);
  const h = harness({ fetch: server.fetch, historyPageSize: 3 });
  const page = await h.client.history('a', { upTo: 5 });
  assert.deepEqual(seqs(page.frames), [1, 2, 3, 4, 5]);
  assert.equal(page.head, 10);
  assert.equal(server.requests.length, 2);
});

test('history() restarts when the epoch changes between pages', async () => {
  let call = 0;
  const fetch = async () => {
    call++;
    const body =
      call === 1
        ? { thread: 'a', epoch: 'old', head: 2, frames: [frame('a', 1, { epoch: 'old' })] }
        : call === 2
          ? { thread: 'a', epoch: 'new', head: 1, frames: [frame('a', 1, { epoch: 'new' })] }
          : { thread: 'a', epoch: 'new', head: 1, frames: [frame('a', 1, { epoch: 'new' })] };
    return { ok: true, status: 200, json: async () => body };
  };
  const h = harness({ fetch, historyPageSize: 1 });
  const page = await h.client.history('a');
  assert.equal(page.epoch, 'new');
  assert.deepEqual(page.frames.map((f) => f.epoch), ['new']);
});

test('history() surfaces HTTP errors with their code and status', async () => {
  const fetch = async () => ({ ok: false, status: 401, json: async () => ({ code: 'unauthorized', message: 'bad token' }) });
  const h = harness({ fetch });
  await assert.rejects(h.client.history('a'), { code: 'unauthorized', status: 401 });
});

test('a 429 carries Retry-After as retryAfterMs, and a reload waits at least that long', async () => {
  let refusals = 1;
  const requests = [];
  const fetch = async (url) => {
    requests.push(url);
    if (refusals-- > 0) {
      return {
        ok: false, status: 429, headers: new Map([['Retry-After', '3']]),
        json: async () => ({ code: 'rate_limited', message: 'over the request rate' }),
      };
    }
    return { ok: true, status: 200, json: async () => ({ thread: 'a', epoch: 'e2', head: 1, frames: [frame('a', 1, { epoch: 'e2' })] }) };
  };
  const h = harness({ fetch });
  const ws = await connect(h);
  h.client.subscribe('a');
  ws.serverSend({ type: 'reset', thread: 'a', epoch: 'e2', head: 1, reason: 'retention' });
  await settle();
  assert.equal(h.events.error.at(-1).code, 'rate_limited');
  await h.clock.advance(2999); // the backoff alone would have retried after 500 ms
  assert.equal(requests.length, 1);
  await h.clock.advance(1);
  assert.equal(requests.length, 2);
  assert.equal(h.events.reset.length, 1);

  refusals = 1;
  await assert.rejects(h.client.history('a'), { code: 'rate_limited', status: 429, retryAfterMs: 3000 });
});
