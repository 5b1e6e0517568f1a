// The demo page in headless Chromium against the relay jar, through a proxy the tests control.
// Every scenario ends by checking that the page shows every frame of the thread exactly once and
// in order (its data-seq elements against the history API), and that the SDK emitted each once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDemo, pageRecord, screenshot, sendMessage, signIn, waitForConnected, waitForFirstChunk, webSocketCount } from './lib/browser.js';
import { assertConversationComplete, replyTo, waitForReplies } from './lib/checks.js';
import { startSystem } from './lib/harness.js';
import { readmeBlock } from './lib/readme.js';
import { poll, withTimeout } from './lib/wait.js';

const THREAD = 'general'; // the demo's first thread
const SCENARIO_TIMEOUT_MS = 60_000;
const CUT_TIMEOUT_MS = 10_000; // a cut armed on server text must fire within this
const OFFLINE_MS = 10_000; // how long the browser stays offline (the scenario's premise)
const RECONNECT_AFTER_ONLINE_MS = 3_000; // `online` retries at once: far below the backoff reached by then
const DEAD_LINK_OFFLINE_MS = 2_000; // offline time of the silent-death variant (its point is the probe)
const PROBE_TIMEOUT_MS = 5_000; // the SDK's default probeTimeoutMs: a ping unanswered this long = dead
const TERMINAL_OBSERVATION_MS = 3_000; // covers the first two backoff windows (1 s, 2 s) of a wrong reconnect
const CHUNK = '"kind":"chunk"'; // server bytes of a chunk frame (the proxy sees them unmasked)
const FINAL_MESSAGE = '"kind":"message"';
const CHUNKS_PER_REPLY = 8;
const CHUNK_DELAY_MS = 60;
const MIN_STREAM_MS = 3 * CHUNK_DELAY_MS; // 8 chunks 60 ms apart can't arrive closer together than this

let system;

before(async (t) => {
  system = await startSystem({
    name: 'chat',
    // Replies of 8 chunks, 60 ms apart: long enough to act mid-reply, short enough for 20 of them.
    // Scenario 6 queues 20 replies on one thread: above the default cap of 16 reply jobs per
    // thread (docs/PROTOCOL.md, Limits), which would refuse 4 of them with rate_limited.
    env: {
      RELAY_SCRIPTED_CHUNKS: String(CHUNKS_PER_REPLY),
      RELAY_SCRIPTED_DELAY_MS: String(CHUNK_DELAY_MS),
      RELAY_MAX_QUEUED_REPLIES: '32',
    },
  });
  t.diagnostic(`jar and Chromium up in ${system.startMs} ms`);
});

after(async (t) => {
  if (system) t.diagnostic(`everything stopped in ${await system.stop()} ms`);
});

/** A fresh page for one scenario; the screenshot is taken whatever the outcome. */
async function scenario(t, name, body) {
  const { context, page } = await openDemo(system.browser, system.origin);
  try {
    await body({ t, context, page, api: system.api, proxy: system.proxy });
  } finally {
    await screenshot(page, name).catch((err) => console.error(`screenshot ${name}: ${err.message}`));
    await context.close();
  }
}

test('1. a message gets its streamed reply, shown once', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '1-send', async ({ page, api }) => {
    const sub = 'alice-send';
    await signIn(page, sub);
    await sendMessage(page, 'Hello, relay!');
    const { history, emitted } = await assertConversationComplete({ page, api, sub, thread: THREAD, texts: ['Hello, relay!'] });
    const record = await pageRecord(page);
    const [first, last] = [record.frames.find((f) => f.kind === 'chunk'), record.frames.find((f) => f.kind === 'message')];
    assert.ok(last.at - first.at >= MIN_STREAM_MS, `chunks arrived over ${Math.round(last.at - first.at)} ms, not at once`);
    const finalText = replyTo('Hello, relay!');
    const shown = record.replyTexts[history.frames[0].id];
    assert.ok(shown.length >= 3, `the reply grew on screen: ${JSON.stringify(shown)}`);
    assert.ok(shown.every((text) => finalText.startsWith(text)), 'every text shown was a prefix of the reply');
    assert.equal(shown.at(-1), finalText);
    assert.equal(emitted.length, CHUNKS_PER_REPLY + 4, 'user message, typing on, the chunks, message, typing off');
    assert.equal(record.webSockets, 1, 'one WebSocket for the whole conversation');
  }),
);

test('2. the TCP connection cut mid-reply: the page reconnects by itself and completes the reply', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '2-cut', async ({ page, api, proxy }) => {
    const sub = 'bob-cut';
    await signIn(page, sub);
    const text = 'Tell me something long';
    const firstCut = proxy.cutWhenServerSends(CHUNK);
    await sendMessage(page, text);
    await withTimeout(firstCut, CUT_TIMEOUT_MS, 'the first chunk of the reply');
    // Cut again when the final message goes out: on the resumed connection this time.
    await withTimeout(proxy.cutWhenServerSends(FINAL_MESSAGE), CUT_TIMEOUT_MS, 'the final message of the reply');
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts: [text] });
    const record = await pageRecord(page);
    assert.equal(record.webSockets, 3, 'two cuts, two reconnects');
    assert.ok(proxy.webSocketsOpened >= 3, 'the proxy saw the reconnects');
    assert.deepEqual(
      record.closes.map((c) => c.code),
      [1006, 1006],
      'the browser saw two abnormal closes',
    );
    const resumes = record.sent.filter((m) => m.type === 'hello').slice(1);
    assert.ok(resumes.every((h) => h.resume?.[0]?.thread === THREAD && h.resume[0].after > 0), 'each reconnect resumed from its cursor');
  }),
);

test('4. offline for 10 s mid-reply, then online: resumes at once, nothing lost', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '4-offline', async ({ t, context, page, api, proxy }) => {
    const sub = 'carol-offline';
    await signIn(page, sub);
    const texts = ['first before going offline', 'second before going offline', 'third before going offline'];
    for (const text of texts) await sendMessage(page, text);
    await waitForFirstChunk(page);
    await context.setOffline(true);
    // Chromium's offline emulation blocks new connections but keeps open sockets: the link
    // going down takes the open one with it.
    assert.ok(proxy.cutWebSockets() >= 1, 'the open WebSocket was cut');
    texts.push('typed while offline');
    await sendMessage(page, texts.at(-1)); // the SDK keeps it until it can send it
    await page.waitForFunction(() => document.querySelector('[data-testid="badge"]').textContent === 'offline');
    const openedBefore = proxy.webSocketsOpened;
    await screenshot(page, '4-offline-during');
    await new Promise((resolve) => setTimeout(resolve, OFFLINE_MS));
    assert.equal(proxy.webSocketsOpened, openedBefore, 'nothing reached the server while offline');
    const tries = await webSocketCount(page);
    const onlineAt = Date.now();
    await context.setOffline(false);
    await waitForConnected(page);
    const reconnectMs = Date.now() - onlineAt;
    t.diagnostic(`scenario 4: ${tries - 1} connection attempts while offline; connected ${reconnectMs} ms after online`);
    assert.ok(reconnectMs < RECONNECT_AFTER_ONLINE_MS, `reconnected ${reconnectMs} ms after online`);
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts });
  }),
);

test('4b. the link dies silently while offline: back online, a ping probe finds it dead, the page reconnects and resumes', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '4b-dead-link', async ({ t, context, page, api, proxy }) => {
    const sub = 'carol-dead-link';
    await signIn(page, sub);
    const texts = ['first over a link about to die', 'second over a link about to die'];
    for (const text of texts) await sendMessage(page, text);
    await waitForFirstChunk(page);
    await context.setOffline(true);
    assert.ok(proxy.stallWebSockets() >= 1, 'the open WebSocket was stalled');
    await page.waitForFunction(() => document.querySelector('[data-testid="badge"]').textContent === 'offline');
    await new Promise((resolve) => setTimeout(resolve, DEAD_LINK_OFFLINE_MS));
    const onlineAt = Date.now();
    await context.setOffline(false);
    // No close ever reaches the browser: only the SDK's probe on `online` can tell.
    await page.waitForFunction(() => window.__relayTest.webSockets === 2, null, { timeout: PROBE_TIMEOUT_MS + RECONNECT_AFTER_ONLINE_MS, polling: 50 });
    await waitForConnected(page);
    t.diagnostic(`scenario 4b: dead link found and replaced ${Date.now() - onlineAt} ms after online`);
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts });
    const record = await pageRecord(page);
    assert.equal(record.webSockets, 2, 'one reconnect');
    assert.ok(record.sent.some((m) => m.socket === 1 && m.type === 'ping'), 'the SDK probed the old socket with a ping');
    assert.equal(record.states.find((s) => s.state === 'reconnecting')?.code, 1006, 'reported as an abnormal close');
    assert.equal(proxy.cutStalled(), 1, 'the dead connection, ended now (the server would time it out later)');
  }),
);

test('5. reload mid-reply: history plus live, no duplicates', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '5-reload', async ({ page, api }) => {
    const sub = 'dave-reload';
    await signIn(page, sub);
    const texts = ['one', 'two', 'three', 'four', 'five'].map((n) => `reload test ${n}`);
    for (const text of texts) await sendMessage(page, text);
    await waitForFirstChunk(page);
    await page.reload();
    const atLoad = await api.history(sub, THREAD);
    await waitForConnected(page);
    const { history, emitted } = await assertConversationComplete({ page, api, sub, thread: THREAD, texts, firstSeq: null });
    assert.ok(atLoad.head < history.head, `replies still streaming after the reload (head ${atLoad.head} of ${history.head})`);
    assert.ok(emitted[0] > 1, `seq 1..${emitted[0] - 1} came from the history API, not replayed over the socket`);
    const record = await pageRecord(page);
    const hello = record.sent.find((m) => m.type === 'hello');
    assert.equal(hello.resume?.[0]?.after, emitted[0] - 1, 'the reloaded page resumed from its stored cursor');
    assert.equal(record.webSockets, 1, 'one WebSocket on the reloaded page');
  }),
);

test('6. 20 messages sent rapidly: 20 replies, in order', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '6-burst', async ({ t, page, api }) => {
    const sub = 'erin-burst';
    await signIn(page, sub);
    const texts = Array.from({ length: 20 }, (_, i) => `rapid message ${i + 1}`);
    const started = Date.now();
    for (const text of texts) await sendMessage(page, text);
    t.diagnostic(`scenario 6: 20 messages typed and sent in ${Date.now() - started} ms`);
    // assertHistoryWellFormed (inside) checks each reply follows the previous one, in send order.
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts });
    assert.equal(await webSocketCount(page), 1);
  }),
);

test('7. a terminal close (admin disconnect, 4503): the badge shows it and nothing reconnects', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '7-terminal', async ({ page, api, proxy }) => {
    const sub = 'frank-terminal';
    await signIn(page, sub);
    await sendMessage(page, 'last words');
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts: ['last words'] });
    await api.disconnectUser(sub);
    await page.waitForSelector('[data-testid="badge"][data-state="closed"]');
    assert.match(await page.getByTestId('badge').textContent(), /^closed \(4503\)/);
    const record = await pageRecord(page);
    assert.deepEqual(record.closes.map((c) => c.code), [4503]);
    assert.equal(record.states.at(-1).state, 'closed');
    // The server holds no connection of this browser from now on...
    await poll(() => api.metric('relay_gateway_connections').then((n) => n === 0), 5_000, 'the server to drop the connection');
    const pageSockets = await webSocketCount(page);
    const proxySockets = proxy.webSocketsOpened;
    // ...and nothing comes back: watched for a bounded window.
    const until = Date.now() + TERMINAL_OBSERVATION_MS;
    while (Date.now() < until) {
      assert.equal(await webSocketCount(page), pageSockets, 'no new WebSocket after a terminal close');
      assert.equal(proxy.webSocketsOpened, proxySockets, 'no new connection reached the proxy');
      assert.equal(await api.metric('relay_gateway_connections'), 0, 'no connection on the server');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(await page.getByTestId('badge').getAttribute('data-state'), 'closed', 'the badge still says closed');
    await waitForReplies(api, sub, THREAD, 1); // and the history is untouched
  }),
);

test('8. the README\'s "SDK in five lines" works as written', { timeout: SCENARIO_TIMEOUT_MS }, (t) =>
  scenario(t, '8-readme', async ({ page, api }) => {
    const snippet = readmeBlock('Use the SDK in five lines');
    assert.equal(snippet.trim().split('\n').length, 5, 'five lines');
    const logged = [];
    page.on('console', (message) => logged.push(message.text()));
    await page.addScriptTag({ type: 'module', content: snippet });
    await poll(() => logged.includes('echo: hello'), 10_000, 'the snippet to log the reply');
    // The snippet's user and thread, from its text: alice, thread-1.
    const history = await waitForReplies(api, 'alice', 'thread-1', 1);
    assert.equal(history.frames.find((f) => f.kind === 'message').data.text, 'echo: hello');
    assert.deepEqual(logged.filter((text) => text === 'echo: hello'), ['echo: hello'], 'logged once');
  }),
);
