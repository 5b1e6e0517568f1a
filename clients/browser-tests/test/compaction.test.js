// Scenario 9 on its own relay instance where compaction comes soon (the newest 40 frames kept
// whatever their kind, replies of 60 chunks): a reload after many long replies, and a page that
// was offline while more long replies were written, both show the whole conversation with each
// reply once; the resume gets `compacted` runs, never a reset.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDemo, pageRecord, screenshot, sendMessage, signIn, waitForConnected } from './lib/browser.js';
import { assertPageShowsHistory, replyTo, waitForPageAt } from './lib/checks.js';
import { startSystem } from './lib/harness.js';

const THREAD = 'general';
const CHUNKS = 60;
const RETENTION_FRAMES = 40;
const TURNS = 6;
const SCENARIO_TIMEOUT_MS = 90_000;
const REPLIES_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

let system;

before(async (t) => {
  system = await startSystem({
    name: 'compaction',
    env: {
      RELAY_SCRIPTED_CHUNKS: String(CHUNKS),
      RELAY_SCRIPTED_DELAY_MS: '0',
      RELAY_RETENTION_FRAMES: String(RETENTION_FRAMES),
    },
  });
  t.diagnostic(`jar and Chromium up in ${system.startMs} ms`);
});

after(async (t) => {
  if (system) t.diagnostic(`everything stopped in ${await system.stop()} ms`);
});

/** Long enough for a reply of CHUNKS chunks (the engine sends at most one per character). */
const question = (i) => `long question ${i} ${'x'.repeat(CHUNKS)}`;

/** Poll the history until `count` replies (their `message`) are journaled. */
async function waitForMessages(api, sub, count) {
  const deadline = Date.now() + REPLIES_TIMEOUT_MS;
  for (;;) {
    const history = await api.history(sub, THREAD);
    const done = history.frames.filter((f) => f.kind === 'message').length;
    if (done === count && history.frames.at(-1)?.kind === 'typing') return history;
    if (Date.now() > deadline) assert.fail(`after ${REPLIES_TIMEOUT_MS} ms ${done}/${count} replies`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The history keeps every question and reply (the tokens were compacted) and the page shows them once each. */
async function assertWholeConversation(page, api, sub, texts) {
  const history = await waitForMessages(api, sub, texts.length);
  const users = history.frames.filter((f) => f.kind === 'user_message');
  assert.deepEqual(users.map((f) => f.data.text), texts, 'every question, once, in order');
  const replies = new Map(history.frames.filter((f) => f.kind === 'message').map((f) => [f.replyTo, f.data.text]));
  for (const user of users) assert.equal(replies.get(user.id), replyTo(user.data.text), `the whole reply to ${user.data.text}`);
  assert.ok(history.frames.length < history.head / 2, `token frames compacted: ${history.frames.length} of ${history.head} kept`);
  await waitForPageAt(page, history.head);
  await assertPageShowsHistory(page, history);
  return history;
}

test('9. a reload after many long replies, and a resume after more of them, show the whole conversation', { timeout: SCENARIO_TIMEOUT_MS }, async (t) => {
  const { api, proxy } = system;
  const { context, page } = await openDemo(system.browser, system.origin);
  const sub = 'ivan-compaction';
  try {
    await signIn(page, sub);
    const texts = [];
    for (let i = 1; i <= TURNS; i++) {
      texts.push(question(i));
      await sendMessage(page, texts.at(-1));
    }
    await assertWholeConversation(page, api, sub, texts);

    await page.reload();
    await waitForConnected(page);
    await assertWholeConversation(page, api, sub, texts);
    let record = await pageRecord(page);
    assert.equal(record.resets.length, 0, 'the reloaded page resumed, no reset');

    // Away while more long replies are written: back, the resume crosses compacted runs.
    await context.setOffline(true);
    assert.ok(proxy.cutWebSockets() >= 1, 'the open WebSocket was cut');
    await page.waitForFunction(() => document.querySelector('[data-testid="badge"]').textContent === 'offline');
    for (let i = TURNS + 1; i <= 2 * TURNS; i++) {
      texts.push(question(i));
      await api.postMessage(sub, THREAD, `api-${i}`, texts.at(-1));
      await waitForMessages(api, sub, i);
    }
    await context.setOffline(false);
    await waitForConnected(page);
    await assertWholeConversation(page, api, sub, texts);
    record = await pageRecord(page);
    const runs = record.received.filter((m) => m.type === 'compacted' && m.thread === THREAD);
    t.diagnostic(`scenario 9: ${runs.length} compacted runs on the resume`);
    assert.ok(runs.length >= TURNS - 1, `compacted runs on the resume: ${runs.length}`);
    assert.equal(record.resets.length, 0, 'no reset: only conversation frames would need one');
  } finally {
    await screenshot(page, '9-compaction').catch((err) => console.error(`screenshot: ${err.message}`));
    await context.close();
  }
});
