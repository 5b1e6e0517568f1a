// k6/lib/replies.js's ReplyTracker on hand-made streams, in the k6 runtime the shim gives it: a
// reply retried with a `restart` completes well formed; a `restart` after its message is a problem.
import { check } from 'k6';
import { ReplyTracker } from '../../../lib/replies.js';

export const options = { vus: 1, iterations: 1 };

/** One send of `text` with id `id` answered by `reply` (`[kind, data]` pairs); returns its record. */
function answer(tracker, id, seq, text, reply) {
  const send = tracker.recordSend(id, text);
  tracker.onAccepted({ id: id, seq: seq });
  tracker.onFrame({ kind: 'user_message', id: id, seq: seq, data: { text: text } });
  for (let i = 0; i < reply.length; i++) {
    tracker.onFrame({ kind: reply[i][0], replyTo: id, seq: seq + 1 + i, data: reply[i][1] });
  }
  return send;
}

const on = ['typing', { on: true }];
const off = ['typing', { on: false }];

export default function () {
  const tracker = new ReplyTracker({ expectEcho: true });
  const retried = answer(tracker, 'retried', 1, 'hi', [on, ['chunk', { text: 'echo', index: 0 }],
    ['restart', { attempt: 2 }], ['chunk', { text: 'echo: ', index: 0 }], ['chunk', { text: 'hi', index: 1 }],
    ['message', { text: 'echo: hi' }], off]);
  check(retried, { 'a restart before the chunks: the reply completes well formed': (s) => s.done && s.problems.length === 0 });

  const late = answer(tracker, 'late', 9, 'yo', [on, ['chunk', { text: 'echo: yo', index: 0 }],
    ['message', { text: 'echo: yo' }], ['restart', { attempt: 2 }], off]);
  check(late, { 'a restart after the message is a problem': (s) => s.done && s.problems.join() === 'restart in phase ENDED' });
  check(tracker, { 'no reply left open': (t) => t.allDone() && t.incomplete().length === 0 });
}
