// The checks every scenario ends with: the thread's history (from the HTTP API) is complete and
// well formed, the page shows exactly what it holds (one element per message and reply, in seq
// order, right text), and the SDK emitted each frame exactly once, in order.
import assert from 'node:assert/strict';
import { REPLY_ORDER, replyViolations } from '../../../../k6/lib/reply-shape.js';
import { pageRecord } from './browser.js';

const POLL_MS = 50;
const COMPLETION_TIMEOUT_MS = 30_000; // the longest wait for the server to finish every reply
const PAGE_TIMEOUT_MS = 15_000; // the longest wait for the page to catch up with the history

/** What the scripted engine answers to `text` (PROTOCOL.md: `echo: T`). */
export const replyTo = (text) => `echo: ${text}`;

/**
 * Poll the history until it holds `texts.length` user messages, each with a finished reply
 * (its `typing {on:false}`); resolves with `{epoch, head, frames}`.
 */
export async function waitForReplies(api, sub, thread, count, timeoutMs = COMPLETION_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await api.history(sub, thread);
    const asked = last.frames.filter((f) => f.kind === 'user_message').length;
    const finished = last.frames.filter((f) => f.kind === 'typing' && f.data?.on === false).length;
    if (asked === count && finished === count) return last;
    if (asked > count) assert.fail(`${asked} user messages journaled, expected ${count}: a send was duplicated`);
    if (Date.now() > deadline) {
      assert.fail(`after ${timeoutMs} ms the thread has ${asked}/${count} messages and ${finished} finished replies`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * The history is what the protocol promises for these sends: seq 1..head with no gap, every
 * sent text journaled once and in order, each answered `echo: T` by a reply of the one shape
 * (k6/lib/reply-shape.js: typing on, chunks, message = the chunks joined, typing off).
 */
export function assertHistoryWellFormed(history, texts) {
  const { frames, head } = history;
  assert.deepEqual(frames.map((f) => f.seq), range(1, head), 'history seqs are 1..head without gaps');
  const users = frames.filter((f) => f.kind === 'user_message');
  assert.deepEqual(users.map((f) => f.data.text), texts, 'each sent text journaled exactly once, in send order');
  let previousEnd = 0;
  for (const user of users) {
    const reply = frames.filter((f) => f.replyTo === user.id);
    assert.deepEqual(replyViolations(reply), [], `reply to ${user.data.text}: ${REPLY_ORDER.join(', ')} (reply-shape.js)`);
    const message = reply.find((f) => f.kind === 'message');
    assert.equal(message?.data.text, replyTo(user.data.text), 'a message that is the echo (and its chunks joined)');
    assert.ok(reply[0].seq > previousEnd, `reply to ${user.data.text} starts after the previous reply ended`);
    previousEnd = reply.at(-1).seq;
  }
}

/**
 * The chat items a page must show for these frames, written independently of the demo: each
 * user message at its seq; each reply once, at the seq of its final message, with its text.
 */
export function expectedItems(frames) {
  const items = [];
  for (const frame of frames) {
    if (frame.kind === 'user_message') items.push({ seq: frame.seq, role: 'user', text: frame.data.text });
    if (frame.kind === 'message') items.push({ seq: frame.seq, role: 'assistant', text: frame.data.text });
    if (frame.kind === 'error') items.push({ seq: frame.seq, role: 'error', text: frame.data.message });
  }
  return items;
}

/** The message list on the page: `{seq, role, text}` per `data-seq` element, in DOM order. */
export function readPageItems(page) {
  return page.$$eval('[data-testid="messages"] [data-seq]', (elements) =>
    elements.map((el) => ({
      seq: Number(el.dataset.seq),
      role: el.dataset.role,
      text: el.querySelector('[data-testid="message-text"]').textContent,
      streaming: el.classList.contains('streaming'),
    })),
  );
}

/** Wait until the page processed `head` (its seq chip) and shows no reply still streaming. */
export async function waitForPageAt(page, head, timeoutMs = PAGE_TIMEOUT_MS) {
  await page.waitForFunction(
    (h) =>
      document.querySelector('[data-testid="last-seq"]')?.textContent === String(h) &&
      !document.querySelector('[data-testid="messages"] .streaming'),
    head,
    { timeout: timeoutMs, polling: POLL_MS },
  );
}

/** The page shows every item of the history exactly once, in seq order, with the right text. */
export async function assertPageShowsHistory(page, history) {
  const shown = await readPageItems(page);
  const seqs = shown.map((i) => i.seq);
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'data-seq elements are unique and in increasing order');
  assert.deepEqual(
    shown.map(({ seq, role, text }) => ({ seq, role, text })),
    expectedItems(history.frames),
    'the page shows exactly the history',
  );
}

/**
 * The SDK emitted the frames of `thread` on this document exactly once, in order, matching the
 * history: seq `firstSeq`..head with no gap and no repeat, same ids. `firstSeq` null: from
 * whatever it emitted first (after a reload). Returns the emitted seqs.
 */
export async function assertFramesEmittedOnce(page, thread, history, firstSeq = 1) {
  const record = await pageRecord(page);
  const emitted = record.frames.filter((f) => f.thread === thread);
  firstSeq ??= emitted[0]?.seq ?? history.head + 1;
  assert.deepEqual(emitted.map((f) => f.seq), range(firstSeq, history.head), 'frames emitted once each, in seq order, no gap');
  const idOf = new Map(history.frames.map((f) => [f.seq, f.id]));
  for (const frame of emitted) assert.equal(frame.id, idOf.get(frame.seq), `frame ${frame.seq} is the journaled one`);
  assert.equal(record.resets.length, 0, 'no reset: every cursor was resumable');
  return emitted.map((f) => f.seq);
}

/** Everything a scenario ends with, once the server answered every text in `texts`. */
export async function assertConversationComplete({ page, api, sub, thread, texts, firstSeq = 1 }) {
  const history = await waitForReplies(api, sub, thread, texts.length);
  assertHistoryWellFormed(history, texts);
  await waitForPageAt(page, history.head);
  await assertPageShowsHistory(page, history);
  const emitted = await assertFramesEmittedOnce(page, thread, history, firstSeq);
  return { history, emitted };
}

function range(from, to) {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
