// useRelayThread: re-renders never reconnect, handlers are always the latest, no frame is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './dom-globals.js';
import React, { act } from 'react';
import { createRoot } from 'react-dom/client';
import { useRelayThread, releaseRelayThread } from '../use-relay-thread.js';
import { harness, connect as connectOutsideAct, frame, memoryStorage, settle } from './fakes.js';

/** Renders the hook and exposes its latest result through `view.current`. */
function Probe({ client, thread, onFrame, view }) {
  view.current = useRelayThread(client, thread, { onFrame });
  return null;
}

/** Mounts an element with react-dom into a detached jsdom container. */
async function render(element) {
  const root = createRoot(document.createElement('div'));
  await act(async () => root.render(element));
  return {
    update: (next) => root.render(next),
    unmount: () => root.unmount(),
  };
}

/** Server messages change React state: deliver them inside act(). */
async function serve(ws, message) {
  await act(async () => ws.serverSend(message));
}

async function connect(h, welcome) {
  let ws;
  await act(async () => {
    ws = await connectOutsideAct(h, welcome);
  });
  return ws;
}

/** How often the thread was requested: hello.resume entries plus subscribe commands. */
function subscribeCount(ws, thread) {
  const resumed = ws.messages('hello').flatMap((m) => m.resume).filter((r) => r.thread === thread).length;
  return resumed + ws.messages('subscribe').filter((m) => m.thread === thread).length;
}

const seqs = (frames) => frames.map((f) => f.seq);

test('100 re-renders with new callback identities construct exactly one WebSocket', async () => {
  const h = harness();
  const view = { current: null };
  const calls = [];
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'a', view, onFrame: () => calls.push(-1) }));
  const ws = await connect(h);
  for (let i = 0; i < 100; i++) {
    await act(async () => {
      renderer.update(React.createElement(Probe, { client: h.client, thread: 'a', view, onFrame: () => calls.push(i) }));
    });
  }
  assert.equal(h.WebSocket.instances.length, 1);
  assert.equal(ws.closedWith, null);
  assert.equal(subscribeCount(ws, 'a'), 1, 'subscribed once');
  await serve(ws, { type: 'subscribed', thread: 'a', epoch: 'e1', head: 0 });
  await serve(ws, frame('a', 1));
  assert.deepEqual(calls, [99], 'only the latest onFrame runs: no stale closure');
  assert.deepEqual(seqs(view.current.frames), [1]);
  assert.equal(view.current.state, 'open');
  await act(async () => renderer.unmount());
});

test('frames are exactly once and in seq order; send and cancel are bound and stable', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'b', view }));
  const ws = await connect(h);
  const { send, cancel } = view.current;
  await serve(ws, { type: 'subscribed', thread: 'b', epoch: 'e1', head: 0 });
  for (const seq of [1, 2, 2, 3, 1]) await serve(ws, frame('b', seq));
  assert.deepEqual(seqs(view.current.frames), [1, 2, 3]);
  await act(async () => renderer.update(React.createElement(Probe, { client: h.client, thread: 'b', view })));
  assert.equal(view.current.send, send);
  assert.equal(view.current.cancel, cancel);
  const sent = view.current.send('hi');
  assert.deepEqual(ws.messages('send').at(-1), { type: 'send', thread: 'b', id: 'm1', text: 'hi' });
  await serve(ws, { type: 'accepted', id: 'm1', thread: 'b', seq: 4 });
  assert.deepEqual(await sent, { id: 'm1', seq: 4 });
  view.current.cancel('m1');
  assert.deepEqual(ws.messages('cancel').at(-1), { type: 'cancel', thread: 'b', replyTo: 'm1' });
  await act(async () => renderer.unmount());
});

test('a compacted run is no gap: frames go on after it, the cursor and acks move over it', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'b', view }));
  const ws = await connect(h);
  await serve(ws, { type: 'subscribed', thread: 'b', epoch: 'e1', head: 0 });
  await serve(ws, frame('b', 1));
  await serve(ws, { type: 'compacted', thread: 'b', epoch: 'e1', from: 2, to: 400 });
  await serve(ws, frame('b', 401, { kind: 'message', replyTo: 'q1', data: { text: 'whole' } }));
  assert.deepEqual(seqs(view.current.frames), [1, 401]);
  assert.equal(subscribeCount(ws, 'b'), 1, 'no re-subscribe');
  assert.deepEqual(h.client.cursor('b'), { epoch: 'e1', seq: 401 });
  await act(async () => h.clock.advance(100));
  assert.deepEqual(ws.messages('ack').at(-1), { type: 'ack', thread: 'b', seq: 401 });
  await act(async () => renderer.unmount());
});

test('replies are folded as a user sees them: a restart starts the text over', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'r', view }));
  const ws = await connect(h);
  await serve(ws, { type: 'subscribed', thread: 'r', epoch: 'e1', head: 0 });
  await serve(ws, frame('r', 1, { kind: 'user_message', id: 'm1', data: { text: 'q' } }));
  await serve(ws, frame('r', 2, { kind: 'chunk', replyTo: 'm1', data: { text: 'Reply#1', index: 0 } }));
  assert.equal(view.current.replies.get('m1').text, 'Reply#1');
  await serve(ws, frame('r', 3, { kind: 'restart', replyTo: 'm1', data: { attempt: 2 } }));
  assert.equal(view.current.replies.get('m1').text, '');
  await serve(ws, frame('r', 4, { kind: 'chunk', replyTo: 'm1', data: { text: 'Reply#2', index: 0 } }));
  await serve(ws, frame('r', 5, { kind: 'message', replyTo: 'm1', data: { text: 'Reply#2' } }));
  const reply = view.current.replies.get('m1');
  assert.equal(reply.text, 'Reply#2');
  assert.equal(reply.restarts, 1);
  assert.equal(reply.done, true);
  await act(async () => renderer.unmount());
});

test('unmount removes the listeners but no frame is lost: a remount shows frames that arrived meanwhile', async () => {
  const h = harness();
  const view = { current: null };
  const seen = [];
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'c', view, onFrame: (f) => seen.push(f.seq) }));
  const ws = await connect(h);
  await serve(ws, { type: 'subscribed', thread: 'c', epoch: 'e1', head: 0 });
  await serve(ws, frame('c', 1));
  await act(async () => renderer.unmount());
  await serve(ws, frame('c', 2)); // nobody mounted
  assert.deepEqual(seen, [1], 'the unmounted component is not called');
  const view2 = { current: null };
  const renderer2 = await render(React.createElement(Probe, { client: h.client, thread: 'c', view: view2 }));
  assert.deepEqual(seqs(view2.current.frames), [1, 2]);
  assert.equal(h.WebSocket.instances.length, 1);
  assert.equal(subscribeCount(ws, 'c'), 1, 'remount does not subscribe again');
  await act(async () => renderer2.unmount());
});

test('switching threads keeps both threads on the one connection', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'x', view }));
  const ws = await connect(h);
  await act(async () => renderer.update(React.createElement(Probe, { client: h.client, thread: 'y', view })));
  await serve(ws, { type: 'subscribed', thread: 'x', epoch: 'e1', head: 0 });
  await serve(ws, { type: 'subscribed', thread: 'y', epoch: 'e1', head: 0 });
  await serve(ws, frame('x', 1));
  await serve(ws, frame('y', 1, { id: 'y1' }));
  assert.deepEqual(
    view.current.frames.map((f) => f.id),
    ['y1'],
  );
  await act(async () => renderer.update(React.createElement(Probe, { client: h.client, thread: 'x', view })));
  assert.deepEqual(
    view.current.frames.map((f) => `${f.thread}${f.seq}`),
    ['x1'],
  );
  assert.equal(h.WebSocket.instances.length, 1);
  await act(async () => renderer.unmount());
});

test('reset replaces the frames with the reloaded list', async () => {
  const reloaded = [frame('r', 1, { epoch: 'e2' }), frame('r', 2, { epoch: 'e2' })];
  const h = harness({
    fetch: async () => ({ ok: true, status: 200, json: async () => ({ thread: 'r', epoch: 'e2', head: 2, frames: reloaded }) }),
  });
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'r', view }));
  const ws = await connect(h);
  await serve(ws, { type: 'subscribed', thread: 'r', epoch: 'e1', head: 0 });
  await serve(ws, frame('r', 1, { id: 'old' }));
  await serve(ws, { type: 'reset', thread: 'r', epoch: 'e2', head: 2, reason: 'epoch' });
  await act(async () => settle());
  assert.deepEqual(
    view.current.frames.map((f) => `${f.epoch}:${f.seq}`),
    ['e2:1', 'e2:2'],
  );
  await act(async () => renderer.unmount());
});

test('after a page reload the frames before the stored cursor come from history, the rest live', async () => {
  const storage = memoryStorage();
  const history = [frame('h', 1), frame('h', 2), frame('h', 3)];
  const h1 = harness({ storage });
  const ws1 = await connect(h1);
  h1.client.subscribe('h');
  ws1.serverSend({ type: 'subscribed', thread: 'h', epoch: 'e1', head: 3 });
  history.forEach((f) => ws1.serverSend(f));

  const requests = [];
  const h2 = harness({
    storage,
    fetch: async (url) => {
      requests.push(url);
      return { ok: true, status: 200, json: async () => ({ thread: 'h', epoch: 'e1', head: 4, frames: [...history, frame('h', 4)] }) };
    },
  });
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h2.client, thread: 'h', view }));
  const ws2 = await connect(h2);
  assert.deepEqual(ws2.messages('hello')[0].resume, [{ thread: 'h', after: 3, epoch: 'e1' }]);
  await serve(ws2, { type: 'subscribed', thread: 'h', epoch: 'e1', head: 4 });
  await serve(ws2, frame('h', 4));
  await act(async () => settle());
  assert.equal(requests.length, 1);
  assert.deepEqual(seqs(view.current.frames), [1, 2, 3, 4]);
  await act(async () => renderer.unmount());
});

test('a refused subscribe shows up as error', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'z', view }));
  const ws = await connect(h);
  await serve(ws, { type: 'error', code: 'forbidden', message: 'no', ref: 'z' });
  await act(async () => settle());
  assert.equal(view.current.error?.code, 'forbidden');
  await act(async () => renderer.unmount());
});

test('a resume refused with limit_exceeded after a reconnect shows up as error, without reconnecting', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'z', view }));
  const ws = await connect(h);
  await serve(ws, { type: 'subscribed', thread: 'z', epoch: 'e1', head: 0 });
  await serve(ws, frame('z', 1));
  assert.equal(view.current.error, null);
  await act(async () => ws.serverClose(1006));
  await act(async () => h.clock.advance(1000));
  const ws2 = await connect(h, { session: 's2' });
  assert.deepEqual(ws2.messages('hello')[0].resume, [{ thread: 'z', after: 1, epoch: 'e1' }]);
  await serve(ws2, { type: 'error', code: 'limit_exceeded', message: 'over 256 subscriptions', ref: 'z' });
  assert.equal(view.current.error?.code, 'limit_exceeded');
  assert.equal(view.current.error?.thread, 'z');
  assert.deepEqual(seqs(view.current.frames), [1], 'the frames seen so far stay');
  assert.equal(h.WebSocket.instances.length, 2);
  assert.equal(view.current.state, 'open');
  await act(async () => renderer.unmount());
});

test('releaseRelayThread unsubscribes and forgets the frames', async () => {
  const h = harness();
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: h.client, thread: 'q', view }));
  const ws = await connect(h);
  await serve(ws, { type: 'subscribed', thread: 'q', epoch: 'e1', head: 0 });
  await serve(ws, frame('q', 1));
  await act(async () => renderer.unmount());
  releaseRelayThread(h.client, 'q');
  assert.deepEqual(ws.messages('unsubscribe'), [{ type: 'unsubscribe', thread: 'q' }]);
});

test('a null client or thread renders an empty view', async () => {
  const view = { current: null };
  const renderer = await render(React.createElement(Probe, { client: null, thread: null, view }));
  assert.deepEqual(view.current.frames, []);
  assert.equal(view.current.state, 'closed');
  await act(async () => renderer.unmount());
});
