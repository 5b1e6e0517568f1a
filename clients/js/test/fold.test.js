// foldReplyFrame / foldReplies: the text a user sees of each reply, starting over at a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldReplies, foldReplyFrame } from '../relay-client.js';
import { frame } from './fakes.js';

/** A retried reply: the first wording streams, a restart, then the second wording completes. */
function retriedReply(id, startSeq) {
  let seq = startSeq;
  const f = (kind, data) => frame('t', seq++, { kind, replyTo: id, id: `${id}:${seq}`, data });
  return [
    frame('t', seq++, { kind: 'user_message', id, data: { text: 'q' } }),
    f('typing', { on: true }),
    f('chunk', { text: 'Reply#1 ', index: 0 }),
    f('chunk', { text: 'first', index: 1 }),
    f('restart', { attempt: 2 }),
    f('chunk', { text: 'Reply#2 ', index: 0 }),
    f('chunk', { text: 'second', index: 1 }),
    f('message', { text: 'Reply#2 second', finishReason: 'stop', usage: { total_tokens: 9 } }),
    f('typing', { on: false }),
  ];
}

test('a restart starts the text over: no frame of the first wording shows after it', () => {
  const frames = retriedReply('m1', 1);
  let reply;
  const shown = [];
  for (const f of frames.slice(1)) {
    reply = foldReplyFrame(reply, f);
    shown.push(reply.text);
  }
  assert.deepEqual(shown, ['', 'Reply#1 ', 'Reply#1 first', '', 'Reply#2 ', 'Reply#2 second', 'Reply#2 second', 'Reply#2 second']);
  assert.equal(reply.done, true);
  assert.equal(reply.restarts, 1);
  assert.equal(reply.typing, false);
  assert.equal(reply.finishReason, 'stop');
  assert.deepEqual(reply.usage, { total_tokens: 9 });
});

test('the text before the message is the chunks after the last restart', () => {
  const frames = retriedReply('m1', 1).slice(0, 7); // up to and including "second", no message yet
  const reply = foldReplies(frames).get('m1');
  assert.equal(reply.text, 'Reply#2 second');
  assert.equal(reply.done, false);
  assert.equal(reply.typing, true);
});

test('foldReplies keeps replies apart, in order of their first frame, and leaves user messages out', () => {
  const frames = [
    ...retriedReply('a', 1),
    frame('t', 10, { kind: 'user_message', id: 'b', data: { text: '/fail' } }),
    frame('t', 11, { kind: 'typing', replyTo: 'b', data: { on: true } }),
    frame('t', 12, { kind: 'chunk', replyTo: 'b', data: { text: 'par', index: 0 } }),
    frame('t', 13, { kind: 'error', replyTo: 'b', data: { code: 'engine_unavailable', message: 'down' } }),
  ];
  const replies = foldReplies(frames);
  assert.deepEqual([...replies.keys()], ['a', 'b']);
  assert.equal(replies.get('a').text, 'Reply#2 second');
  assert.deepEqual(replies.get('b').error, { code: 'engine_unavailable', message: 'down' });
  assert.equal(replies.get('b').seq, 13);
});

test('a cancelled reply shows the text of its message; frames after the end change nothing', () => {
  const frames = [
    frame('t', 1, { kind: 'chunk', replyTo: 'c', data: { text: 'so ', index: 0 } }),
    frame('t', 2, { kind: 'message', replyTo: 'c', data: { text: 'so ', cancelled: true } }),
    frame('t', 3, { kind: 'chunk', replyTo: 'c', data: { text: 'late', index: 1 } }),
  ];
  const reply = foldReplies(frames).get('c');
  assert.equal(reply.text, 'so ');
  assert.equal(reply.cancelled, true);
});

test('folding never changes the reply it was given', () => {
  const first = foldReplyFrame(undefined, frame('t', 1, { kind: 'chunk', replyTo: 'x', data: { text: 'a', index: 0 } }));
  const second = foldReplyFrame(first, frame('t', 2, { kind: 'restart', replyTo: 'x', data: { attempt: 2 } }));
  assert.equal(first.text, 'a');
  assert.equal(second.text, '');
});
