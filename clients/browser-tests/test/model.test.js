// Scenario 9 on its own relay instance with RELAY_ENGINE=openai against a fake OpenAI-compatible
// server whose first stream breaks after two chunks: the reply starts over (a `restart` frame)
// with another wording, and the demo page shows only the text after the restart, never the
// first wording glued to the second. A second message carries the first exchange as context.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDemo, pageRecord, screenshot, sendMessage, signIn } from './lib/browser.js';
import { assertFramesEmittedOnce, assertPageShowsHistory, waitForPageAt, waitForReplies } from './lib/checks.js';
import { startFakeOpenAi } from './lib/fake-openai.js';
import { startSystem } from './lib/harness.js';

const THREAD = 'general';
const SCENARIO_TIMEOUT_MS = 60_000;
const WORD_DELAY_MS = 150; // slow enough that the page renders each wording while it streams
const FIRST_WORDING = ['Reply#1 ', 'first ', 'wording'];
const SECOND_WORDING = ['Reply#2 ', 'the ', 'second ', 'wording'];

let model;
let system;

before(async (t) => {
  model = await startFakeOpenAi([
    { words: FIRST_WORDING.slice(0, 2), cut: true, delayMs: WORD_DELAY_MS },
    { words: SECOND_WORDING, cut: false, delayMs: WORD_DELAY_MS },
    { words: ['Your ', 'name ', 'is ', 'Zed.'], cut: false, delayMs: 20 },
  ]);
  system = await startSystem({
    name: 'model',
    env: {
      RELAY_ENGINE: 'openai',
      RELAY_OPENAI_BASE_URL: model.baseUrl,
      RELAY_OPENAI_MODEL: 'fake-model',
      RELAY_OPENAI_RETRY_BASE_MS: '50',
      RELAY_OPENAI_RETRY_MAX_MS: '100',
    },
  });
  t.diagnostic(`jar, fake model and Chromium up in ${system.startMs} ms`);
});

after(async (t) => {
  if (system) t.diagnostic(`everything stopped in ${await system.stop()} ms`);
  if (model) await model.close();
});

test('9. a retried model reply shows only its second wording; the next turn gets the conversation', { timeout: SCENARIO_TIMEOUT_MS }, async () => {
  const { context, page } = await openDemo(system.browser, system.origin);
  const sub = 'zed-model';
  try {
    await signIn(page, sub);
    await sendMessage(page, 'my name is Zed');
    let history = await waitForReplies(system.api, sub, THREAD, 1);
    const reply = history.frames.filter((f) => f.replyTo);
    assert.deepEqual(
      reply.map((f) => f.kind),
      ['typing', 'chunk', 'chunk', 'restart', 'chunk', 'chunk', 'chunk', 'chunk', 'message', 'typing'],
      'the journal holds the first wording, a restart, then the second',
    );
    const message = reply.find((f) => f.kind === 'message');
    assert.equal(message.data.text, SECOND_WORDING.join(''));
    assert.equal(message.data.finishReason, 'stop');
    await waitForPageAt(page, history.head);
    await assertPageShowsHistory(page, history);

    const shown = (await pageRecord(page)).replyTexts[history.frames[0].id];
    const firstSecond = shown.findIndex((text) => text.startsWith('Reply#2'));
    assert.ok(firstSecond > 0, `the second wording came after the first: ${JSON.stringify(shown)}`);
    assert.ok(shown.slice(0, firstSecond).some((text) => text.startsWith('Reply#1')), `the first wording streamed on screen: ${JSON.stringify(shown)}`);
    for (const text of shown.slice(firstSecond)) {
      assert.ok(!text.includes('Reply#1') && !text.includes('first'), `after the restart the page never shows the first wording: ${JSON.stringify(text)}`);
      assert.ok(SECOND_WORDING.join('').startsWith(text), `every text shown after the restart is a prefix of the second wording: ${JSON.stringify(text)}`);
    }
    await screenshot(page, '9-model-restart');

    await sendMessage(page, 'what is my name?');
    history = await waitForReplies(system.api, sub, THREAD, 2);
    assert.deepEqual(model.bodies.at(-1).messages, [
      { role: 'user', content: 'my name is Zed' },
      { role: 'assistant', content: SECOND_WORDING.join('') },
      { role: 'user', content: 'what is my name?' },
    ]);
    await waitForPageAt(page, history.head);
    await assertPageShowsHistory(page, history);
    await assertFramesEmittedOnce(page, THREAD, history);

    // The engine's outcomes are on /metrics (labels in Prometheus order: alphabetical).
    assert.equal(await system.api.metric('worker_engine_restarts_total{engine="openai"}'), 1);
    assert.equal(await system.api.metric('worker_engine_retries_total{engine="openai",reason="broken"}'), 1);
    assert.equal(await system.api.metric('worker_engine_replies_total{engine="openai",outcome="completed"}'), 2);
  } finally {
    await screenshot(page, '9-model').catch((err) => console.error(`screenshot: ${err.message}`));
    await context.close();
  }
});
