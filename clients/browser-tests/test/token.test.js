// Scenario 3 on its own relay instance with short-lived dev tokens: a token that expires during
// the session is refreshed in-band on the same WebSocket; when the refresh fails, the server's
// 4401 close leads to a fresh token, a new connection and a resume that loses nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDemo, pageRecord, screenshot, sendMessage, signIn, waitForConnected } from './lib/browser.js';
import { assertConversationComplete, waitForReplies } from './lib/checks.js';
import { startSystem } from './lib/harness.js';

const THREAD = 'general';
const TOKEN_TTL_S = 4; // dev tokens live 4 s...
const TOKEN_EXPIRING_MS = 2_000; // ...token_expiring comes 2 s before exp...
const LEEWAY_MS = 500; // ...and 4401 half a second after it
const SCENARIO_TIMEOUT_MS = 60_000;
const CLOSE_4401_TIMEOUT_MS = 10_000; // a failed refresh is followed by 4401 within TTL + leeway

let system;

before(async (t) => {
  system = await startSystem({
    name: 'token',
    env: {
      RELAY_DEV_TOKEN_TTL_S: String(TOKEN_TTL_S),
      RELAY_TOKEN_EXPIRING_MS: String(TOKEN_EXPIRING_MS),
      RELAY_JWT_LEEWAY_MS: String(LEEWAY_MS),
    },
  });
  t.diagnostic(`jar and Chromium up in ${system.startMs} ms`);
});

after(async (t) => {
  if (system) t.diagnostic(`everything stopped in ${await system.stop()} ms`);
});

test('3. an expiring token is refreshed in-band; a failed refresh ends in 4401, a fresh token and a resume', { timeout: SCENARIO_TIMEOUT_MS }, async (t) => {
  const { api } = system;
  const { context, page } = await openDemo(system.browser, system.origin);
  const sub = 'grace-token';
  const texts = [];
  try {
    await signIn(page, sub);
    const firstExp = await page.evaluate(() => JSON.parse(sessionStorage.getItem('relay-demo.session')).exp);
    texts.push('before the first token expires');
    await sendMessage(page, texts.at(-1));

    // In-band: past the first token's exp + leeway, the same socket lives on, refreshed twice.
    await page.waitForFunction(
      ({ expMs }) => Date.now() > expMs && window.__relayTest.received.filter((m) => m.type === 'refreshed').length >= 2,
      { expMs: firstExp * 1000 + LEEWAY_MS + 500 },
      { timeout: 15_000, polling: 100 },
    );
    texts.push('after two refreshes');
    await sendMessage(page, texts.at(-1));
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts });
    let record = await pageRecord(page);
    assert.equal(record.webSockets, 1, 'no reconnect: the token was refreshed on the open socket');
    assert.deepEqual(record.closes, []);
    const expiring = record.received.filter((m) => m.type === 'token_expiring').length;
    const refreshes = record.sent.filter((m) => m.type === 'refresh').length;
    assert.ok(refreshes >= 2 && refreshes >= expiring - 1, `each token_expiring answered (${expiring} expiring, ${refreshes} refresh)`);
    t.diagnostic(`in-band: ${expiring} token_expiring, ${refreshes} refresh, 1 WebSocket`);

    // The next refresh fails (the token endpoint answers 503 once). When the page asks again,
    // after the 4401, the server first journals a message and its reply that the page has not
    // seen: the resumed connection must bring them.
    const missed = 'posted while the page had no connection';
    let tokenRequests = 0;
    let closesAtFreshToken = null;
    await page.route('**/dev/token', async (route) => {
      tokenRequests++;
      if (tokenRequests === 1) {
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'unavailable', message: 'token service down (test)' }) });
        return;
      }
      if (tokenRequests === 2) {
        closesAtFreshToken = await page.evaluate(() => window.__relayTest.closes.map((c) => c.code));
        await api.postMessage(sub, THREAD, 'missed-1', missed);
        await waitForReplies(api, sub, THREAD, texts.length + 1);
      }
      await route.continue();
    });
    await page.waitForFunction(() => window.__relayTest.closes.some((c) => c.code === 4401), null, { timeout: CLOSE_4401_TIMEOUT_MS, polling: 50 });
    await waitForConnected(page);
    assert.deepEqual(closesAtFreshToken, [4401], 'the fresh token was requested after the 4401, and only then');
    texts.push(missed);
    texts.push('after the fresh token');
    await sendMessage(page, texts.at(-1));
    await assertConversationComplete({ page, api, sub, thread: THREAD, texts });

    record = await pageRecord(page);
    assert.equal(record.webSockets, 2, 'exactly one reconnect, after the 4401');
    assert.deepEqual(record.closes.map((c) => c.code), [4401]);
    const hellos = record.sent.filter((m) => m.type === 'hello');
    assert.equal(hellos.length, 2);
    assert.ok(hellos[1].tokenExp > hellos[0].tokenExp, 'the second hello carries a fresh token');
    const resumed = hellos[1].resume?.find((r) => r.thread === THREAD);
    assert.ok(resumed && resumed.after > 0, 'the second hello resumed the thread from its cursor');
    const missedSeq = record.frames.find((f) => f.kind === 'user_message' && f.id === 'missed-1')?.seq;
    assert.ok(missedSeq > resumed.after, 'the message journaled while disconnected came with the resume');
  } finally {
    await screenshot(page, '3-token').catch((err) => console.error(`screenshot: ${err.message}`));
    await context.close();
  }
});
