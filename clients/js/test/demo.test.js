// The demo page (clients/demo) in jsdom against the scripted WebSocket: sign-in, streaming,
// exactly-once rendering keyed by seq, badge, stop, drop, threads, dev-token errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { RelayClient } from '../relay-client.js';
import { FakeClock, FakeTarget, fakeWebSocketClass, memoryStorage, settle, frame } from './fakes.js';

globalThis.__relayDemoManualStart = true;
const { mountDemo, ThreadModel, badgeText } = await import('../../demo/demo.js');
const html = readFileSync(new URL('../../demo/index.html', import.meta.url), 'utf8');

/** The page in jsdom with a fake server behind it. `devTokens: false` makes /dev/token answer 404. */
async function page({ devTokens = true, history = [] } = {}) {
  const dom = new JSDOM(html, { url: 'http://relay.test/' });
  const clock = new FakeClock();
  const WebSocket = fakeWebSocketClass();
  const cursorStorage = memoryStorage();
  const tokenRequests = [];
  const fetch = async (url, init) => {
    const path = new URL(url).pathname;
    if (path === '/dev/token') {
      tokenRequests.push(JSON.parse(init.body));
      if (!devTokens) return { ok: false, status: 404, json: async () => ({ code: 'not_found', message: 'not found' }) };
      return { ok: true, status: 200, json: async () => ({ token: `jwt-${tokenRequests.length}`, sub: JSON.parse(init.body).sub, exp: 4_000_000_000 }) };
    }
    return { ok: true, status: 200, json: async () => ({ thread: 'general', epoch: 'e1', head: history.length, frames: history }) };
  };
  let ids = 0;
  const createClient = (options) =>
    new RelayClient({
      ...options,
      url: 'ws://relay.test/ws',
      WebSocket,
      timers: clock,
      random: () => 0.5,
      storage: cursorStorage,
      window: new FakeTarget(),
      document: new FakeTarget(),
      fetch,
      generateId: () => `m${++ids}`,
    });
  const demo = mountDemo({ document: dom.window.document, window: dom.window, createClient, fetch, now: clock.now });
  const doc = dom.window.document;
  const $ = (id) => doc.querySelector(`[data-testid="${id}"]`);
  const close = () => {
    demo.signOut();
    dom.window.close();
  };
  return { dom, doc, $, clock, WebSocket, demo, tokenRequests, close, cursorStorage };
}

async function signIn(p, name = 'alice') {
  p.$('login-user').value = name;
  p.$('login-form').requestSubmit();
  await settle();
  const ws = p.WebSocket.last;
  ws.serverOpen();
  ws.serverSend({ type: 'welcome', session: 's1', heartbeat: 25000, exp: 4_000_000_000 });
  ws.serverSend({ type: 'subscribed', thread: 'general', epoch: 'e1', head: 0 });
  await settle();
  return ws;
}

/** The frames one send produces, as the scripted engine streams them. */
function reply(startSeq, id, chunks, { thread = 'general' } = {}) {
  const frames = [frame(thread, startSeq, { kind: 'user_message', id, data: { text: 'hi' } })];
  let seq = startSeq;
  frames.push(frame(thread, ++seq, { kind: 'typing', replyTo: id, id: `${id}:0`, data: { on: true } }));
  chunks.forEach((text, index) => frames.push(frame(thread, ++seq, { kind: 'chunk', replyTo: id, id: `${id}:c${index}`, data: { text, index } })));
  frames.push(frame(thread, ++seq, { kind: 'message', replyTo: id, id: `${id}:m`, data: { text: chunks.join('') } }));
  frames.push(frame(thread, ++seq, { kind: 'typing', replyTo: id, id: `${id}:off`, data: { on: false } }));
  return frames;
}

const rendered = (p) => [...p.$('messages').children].map((li) => ({ seq: Number(li.dataset.seq), role: li.dataset.role, text: li.querySelector('.text').textContent }));

test('the sign-in buttons stay disabled until the page can handle them (no native form GET)', () => {
  const dom = new JSDOM(html, { url: 'http://relay.test/' });
  const $ = (id) => dom.window.document.querySelector(`[data-testid="${id}"]`);
  assert.equal($('login-submit').disabled, true);
  assert.equal($('token-submit').disabled, true);
  mountDemo({ document: dom.window.document, window: dom.window, createClient: () => assert.fail('no client before sign-in'), fetch: async () => assert.fail('no fetch') });
  assert.equal($('login-submit').disabled, false);
  assert.equal($('token-submit').disabled, false);
  dom.window.close();
});

test('signing in asks /dev/token, connects with the token and shows the chat', async () => {
  const p = await page();
  assert.equal(p.$('login').hidden, false);
  assert.equal(p.$('app').hidden, true);
  const ws = await signIn(p, 'bob');
  assert.deepEqual(p.tokenRequests, [{ sub: 'bob' }]);
  assert.equal(ws.sent[0].token, 'jwt-1');
  assert.equal(p.$('login').hidden, true);
  assert.equal(p.$('app').hidden, false);
  assert.equal(p.$('badge').textContent, 'connected');
  assert.equal(p.$('badge').dataset.state, 'open');
  assert.equal(p.$('user').textContent, 'bob');
  assert.deepEqual(
    [...p.$('thread-list').querySelectorAll('[data-testid="thread-item"]')].map((b) => b.dataset.thread),
    ['general'],
  );
  p.close();
});

test('a 404 from /dev/token shows that dev tokens are off', async () => {
  const p = await page({ devTokens: false });
  p.$('login-form').requestSubmit();
  await settle();
  assert.equal(p.$('login-error').hidden, false);
  assert.match(p.$('login-error').textContent, /dev tokens turned off/);
  assert.equal(p.WebSocket.instances.length, 0);
  p.close();
});

test('a reply streams chunk by chunk, the final message replaces it, typing shows meanwhile', async () => {
  const p = await page();
  const ws = await signIn(p);
  p.$('message-input').value = 'hi';
  p.$('composer').requestSubmit();
  await settle();
  assert.deepEqual(ws.messages('send'), [{ type: 'send', thread: 'general', id: 'm1', text: 'hi' }]);
  const frames = reply(1, 'm1', ['ec', 'ho: ', 'hi']);
  for (const f of frames.slice(0, 4)) ws.serverSend(f); // user, typing on, two chunks
  await settle();
  assert.equal(p.$('typing').hidden, false);
  assert.deepEqual(rendered(p), [
    { seq: 1, role: 'user', text: 'hi' },
    { seq: 4, role: 'assistant', text: 'echo: ' },
  ]);
  assert.ok(p.$('messages').children[1].classList.contains('streaming'));
  assert.equal(p.$('stop').disabled, false);
  for (const f of frames.slice(4)) ws.serverSend(f);
  await settle();
  assert.deepEqual(rendered(p), [
    { seq: 1, role: 'user', text: 'hi' },
    { seq: 6, role: 'assistant', text: 'echo: hi' },
  ]);
  assert.equal(p.$('typing').hidden, true);
  assert.equal(p.$('stop').disabled, true);
  assert.equal(p.$('last-seq').textContent, '7');
  p.close();
});

test('a send refused with rate_limited shows "Not sent" with the code and puts the text back', async () => {
  const p = await page();
  const ws = await signIn(p);
  p.$('message-input').value = 'one too many';
  p.$('composer').requestSubmit();
  await settle();
  assert.equal(p.$('message-input').value, '');
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'too many replies queued', ref: 'm1' });
  await settle();
  assert.equal(p.$('error').hidden, false);
  assert.equal(p.$('error').textContent, 'Not sent (rate_limited): too many replies queued');
  assert.equal(p.$('message-input').value, 'one too many');
  assert.deepEqual(rendered(p), []);
  assert.equal(p.WebSocket.instances.length, 1, 'no reconnect');
  p.close();
});

test('after a drop, resumed and replayed frames render exactly once, in order', async () => {
  const p = await page();
  const ws1 = await signIn(p);
  const frames = reply(1, 'm1', ['a', 'b', 'c']);
  for (const f of frames.slice(0, 4)) ws1.serverSend(f);
  p.$('drop').click();
  assert.equal(ws1.closedWith.code, 4000);
  ws1.serverClose(4000, 'debug drop');
  await settle();
  assert.equal(p.$('badge').textContent, 'reconnecting in 1s');
  assert.equal(p.$('badge').dataset.state, 'reconnecting');
  await p.clock.advance(500);
  const ws2 = p.WebSocket.last;
  ws2.serverOpen();
  assert.deepEqual(ws2.sent[0].resume, [{ thread: 'general', after: 4, epoch: 'e1' }]);
  ws2.serverSend({ type: 'welcome', session: 's2', heartbeat: 25000, exp: 4_000_000_000 });
  ws2.serverSend({ type: 'subscribed', thread: 'general', epoch: 'e1', head: 7 });
  for (const f of frames) ws2.serverSend(f); // a generous replay: everything again
  await settle();
  assert.deepEqual(rendered(p), [
    { seq: 1, role: 'user', text: 'hi' },
    { seq: 6, role: 'assistant', text: 'abc' },
  ]);
  const seqs = [...p.doc.querySelectorAll('[data-seq]')].map((el) => Number(el.dataset.seq));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length);
  assert.equal(p.$('badge').textContent, 'connected');
  p.close();
});

test('Stop cancels the reply in progress', async () => {
  const p = await page();
  const ws = await signIn(p);
  for (const f of reply(1, 'm1', ['x']).slice(0, 3)) ws.serverSend(f);
  await settle();
  p.$('stop').click();
  assert.deepEqual(ws.messages('cancel'), [{ type: 'cancel', thread: 'general', replyTo: 'm1' }]);
  ws.serverSend(frame('general', 4, { kind: 'message', replyTo: 'm1', id: 'm1:m', data: { text: 'x', cancelled: true } }));
  ws.serverSend(frame('general', 5, { kind: 'typing', replyTo: 'm1', id: 'm1:off', data: { on: false } }));
  await settle();
  const assistant = p.$('messages').children[1];
  assert.ok(assistant.classList.contains('cancelled'));
  assert.match(assistant.querySelector('.meta').textContent, /stopped/);
  assert.equal(p.$('stop').disabled, true);
  p.close();
});

test('threads can be created and switched; each shows only its own frames', async () => {
  const p = await page();
  const ws = await signIn(p);
  ws.serverSend(frame('general', 1, { kind: 'user_message', id: 'g1', data: { text: 'in general' } }));
  p.$('new-thread-input').value = 'ideas';
  p.$('new-thread-form').requestSubmit();
  await settle();
  assert.deepEqual(ws.messages('subscribe').at(-1), { type: 'subscribe', thread: 'ideas', after: 0 });
  ws.serverSend({ type: 'subscribed', thread: 'ideas', epoch: 'e1', head: 0 });
  ws.serverSend(frame('ideas', 1, { kind: 'user_message', id: 'i1', data: { text: 'an idea' } }));
  await settle();
  assert.equal(p.$('thread-title').textContent, 'ideas');
  assert.deepEqual(
    rendered(p).map((m) => m.text),
    ['an idea'],
  );
  p.doc.querySelector('[data-thread="general"]').click();
  await settle();
  assert.deepEqual(
    rendered(p).map((m) => m.text),
    ['in general'],
  );
  assert.equal(p.WebSocket.instances.length, 1);
  p.close();
});

test('a terminal close shows closed with the code and reason', async () => {
  const p = await page();
  const ws = await signIn(p);
  ws.serverClose(4503, 'disconnected by an operator');
  await settle();
  assert.equal(p.$('badge').textContent, 'closed (4503): disconnected by an operator');
  assert.equal(p.$('badge').dataset.state, 'closed');
  p.close();
});

test('a reload with a stored session resumes and shows earlier frames from history', async () => {
  const p1 = await page();
  const ws = await signIn(p1);
  const frames = reply(1, 'm1', ['o', 'k']);
  frames.forEach((f) => ws.serverSend(f));
  await settle();
  const saved = p1.dom.window.sessionStorage.getItem('relay-demo.session');
  const cursors = p1.cursorStorage;
  p1.close();

  // Same tab after reload: sessionStorage survives; the SDK cursor storage too.
  const dom = new JSDOM(html, { url: 'http://relay.test/' });
  dom.window.sessionStorage.setItem('relay-demo.session', saved);
  const clock = new FakeClock();
  const WebSocket = fakeWebSocketClass();
  const fetch = async () => ({ ok: true, status: 200, json: async () => ({ thread: 'general', epoch: 'e1', head: 6, frames }) });
  const demo = mountDemo({
    document: dom.window.document,
    window: dom.window,
    fetch,
    now: clock.now,
    createClient: (options) =>
      new RelayClient({ ...options, url: 'ws://relay.test/ws', WebSocket, timers: clock, storage: cursors, window: null, document: null, fetch }),
  });
  await settle();
  const ws2 = WebSocket.last;
  ws2.serverOpen();
  assert.deepEqual(ws2.sent[0].resume, [{ thread: 'general', after: 6, epoch: 'e1' }]);
  await settle();
  const items = [...dom.window.document.querySelectorAll('[data-testid="message"]')].map((li) => li.dataset.seq);
  assert.deepEqual(items, ['1', '5']);
  demo.signOut();
  dom.window.close();
});

test('ThreadModel: one item per user message and per reply, placed at the latest seq', () => {
  const model = new ThreadModel('t');
  const a = reply(1, 'a', ['1', '2'], { thread: 't' }); // seqs 1..6
  const b = reply(7, 'b', ['3'], { thread: 't' }); // seqs 7..11
  assert.equal(model.add([...b, ...a, ...a], 'e1'), true);
  assert.equal(model.add(a, 'e1'), false, 'nothing new');
  assert.equal(model.add([frame('t', 99)], 'other'), false, 'another epoch is ignored');
  const view = model.view();
  assert.deepEqual(
    view.items.map((i) => `${i.role}:${i.seq}:${i.text}`),
    ['user:1:hi', 'assistant:5:12', 'user:7:hi', 'assistant:10:3'],
  );
  assert.equal(view.typing, false);
  assert.deepEqual(view.unfinished, []);
});

test('ThreadModel: a reply whose chunks were partly seen and the rest compacted shows once, from its message', () => {
  const model = new ThreadModel('t');
  const a = reply(1, 'a', ['ec', 'ho', ': x'], { thread: 't' }); // seqs 1..7: user, typing, 3 chunks, message, typing
  model.add(a.slice(0, 3), 'e1'); // user, typing on, the first chunk: then the client left
  // Back after a long absence: chunks 4-5 were compacted; the message (6) and what follows arrive.
  model.add(a.slice(5), 'e1');
  const b = reply(8, 'b', ['1'], { thread: 't' });
  model.add([b[0], b[3], b[4]], 'e1'); // only b's conversation frames and its last typing are left
  const view = model.view();
  assert.deepEqual(
    view.items.map((i) => `${i.role}:${i.text}`),
    ['user:hi', 'assistant:echo: x', 'user:hi', 'assistant:1'],
  );
  assert.deepEqual(view.unfinished, []);
});

test('ThreadModel: an engine error replaces the reply with an error item', () => {
  const model = new ThreadModel('t');
  model.add(
    [
      frame('t', 1, { kind: 'user_message', id: 'x', data: { text: '/fail' } }),
      frame('t', 2, { kind: 'typing', replyTo: 'x', data: { on: true } }),
      frame('t', 3, { kind: 'error', replyTo: 'x', data: { code: 'engine_error', message: 'boom' } }),
      frame('t', 4, { kind: 'typing', replyTo: 'x', data: { on: false } }),
    ],
    'e1',
  );
  assert.deepEqual(
    model.view().items.map((i) => `${i.role}:${i.text}`),
    ['user:/fail', 'error:boom'],
  );
});

test('ThreadModel: a retried reply shows only the wording after its last restart', () => {
  const model = new ThreadModel('t');
  const seen = [];
  const frames = [
    frame('t', 1, { kind: 'user_message', id: 'x', data: { text: 'q' } }),
    frame('t', 2, { kind: 'typing', replyTo: 'x', data: { on: true } }),
    frame('t', 3, { kind: 'chunk', replyTo: 'x', data: { text: 'Reply#1 ', index: 0 } }),
    frame('t', 4, { kind: 'restart', replyTo: 'x', data: { attempt: 2 } }),
    frame('t', 5, { kind: 'chunk', replyTo: 'x', data: { text: 'Reply#2', index: 0 } }),
    frame('t', 6, { kind: 'message', replyTo: 'x', data: { text: 'Reply#2' } }),
  ];
  for (const f of frames) {
    model.add([f], 'e1');
    seen.push(model.view().items.filter((i) => i.role === 'assistant').map((i) => i.text).join());
  }
  assert.deepEqual(seen, ['', '', 'Reply#1 ', '', 'Reply#2', 'Reply#2']);
});

test('badgeText covers connected, reconnecting in Ns, offline and closed with reason', () => {
  assert.equal(badgeText('open', {}, 0, true), 'connected');
  assert.equal(badgeText('open', {}, 0, false), 'offline');
  assert.equal(badgeText('reconnecting', { retryAt: 3200 }, 0, true), 'reconnecting in 4s');
  assert.equal(badgeText('reconnecting', { retryAt: 3200 }, 0, false), 'offline');
  assert.equal(badgeText('closed', { code: 4513, reason: 'frame too large' }, 0, true), 'closed (4513): frame too large');
  assert.equal(badgeText('closed', { code: 1000, reason: 'client closed' }, 0, true), 'closed: client closed');
  assert.equal(badgeText('closed', undefined, 0, true), 'signed out');
});
