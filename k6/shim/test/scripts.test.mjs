// Each load script must pass against a correct relay and fail (non-zero) against one that loses,
// duplicates or reorders a frame — through the shim, against the fake relay.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { signHs256 } from './fake/jwt.mjs';
import { FAST, SECRET, runScript } from './run-script.mjs';

const THRESHOLDS_FAILED = 99;

function passed(run) {
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /k6-shim: thresholds (\d+)\/\1 ok, failed checks 0, script errors 0/);
}

function failedOn(run, threshold) {
  assert.equal(run.code, THRESHOLDS_FAILED, run.out);
  assert.match(run.out, new RegExp(`✗ ${threshold}: `), run.out);
  assert.equal(run.stats.faultsFired, 1, 'the fault must have fired exactly once');
}

const chat = (options = {}) => runScript('chat.js', {
  args: ['--vus', '2', '--iterations', '4'],
  ...options,
  env: { MESSAGES: '3', ...FAST, ...options.env },
});

describe('chat.js', () => {
  test('passes against a correct relay', async () => {
    const run = await chat();
    passed(run);
    assert.equal(run.stats.sends, 12);
    assert.match(run.out, /✓ history matches the socket \(4\/4\)/);
    assert.match(run.out, /✓ reply well-formed \(12\/12\)/);
  });

  test('passes with the token on the upgrade request and a non-ASCII sub', async () => {
    passed(await chat({ env: { TOKEN_VIA: 'header', SUB_PREFIX: 'k6-üser-€' } }));
  });

  test('passes with tokens from RELAY_TOKEN_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-tokens-'));
    try {
      const sign = (sub) => signHs256({ sub, exp: Math.floor(Date.now() / 1000) + 600 }, SECRET);
      writeFileSync(join(dir, 'tokens.txt'), `# one per VU\n${sign('file-user-1')}\n${sign('file-user-2')}\n`);
      passed(await chat({ env: { RELAY_JWT_HS256_SECRET: '', RELAY_TOKEN_FILE: join(dir, 'tokens.txt') } }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails when a frame is lost', async () => failedOn(await chat({ relay: { fault: { kind: 'drop', seq: 5 } } }), 'frames_lost'));

  test('fails when a frame is duplicated', async () => failedOn(await chat({ relay: { fault: { kind: 'dup', seq: 5 } } }), 'frames_duplicated'));

  test('fails when two frames are swapped', async () => failedOn(await chat({ relay: { fault: { kind: 'reorder', seq: 3 } } }), 'frames_out_of_order'));

  test('fails when the last frame never comes (caught by the history API and the reply timeout)', async () => {
    // One message, 4 chunks: seq 1 user_message, 2 typing on, 3-6 chunks, 7 message, 8 typing off.
    const run = await chat({ args: ['--vus', '1', '--iterations', '1'], env: { MESSAGES: '1', REPLY_TIMEOUT_MS: '1500' },
      relay: { fault: { kind: 'drop', seq: 8 } } });
    failedOn(run, 'frames_lost');
    assert.match(run.out, /✗ replies_incomplete: /);
  });

  test('fails when the token is refused, without hammering the server', async () => {
    const run = await chat({ args: ['--vus', '1', '--iterations', '1'], env: { RELAY_JWT_HS256_SECRET: 'wrong-secret' } });
    assert.equal(run.code, THRESHOLDS_FAILED, run.out);
    assert.match(run.out, /✗ terminal_closes: /);
    assert.equal(run.stats.connections, 1, 'a fresh token refused at hello is terminal');
  });
});

const storm = (options = {}) => runScript('reconnect-storm.js', {
  args: ['--vus', '4', '--iterations', '8'],
  ...options,
  env: { ...FAST, ...options.env },
});

describe('reconnect-storm.js', () => {
  test('passes against a correct relay, resuming both with hello.resume and with subscribe', async () => {
    const run = await storm();
    passed(run);
    // 8 cycles of 3 connections (2 drops each); even VUs resume with hello.resume, odd ones with subscribe.
    assert.equal(run.stats.hellos, 8 * 3);
    assert.ok(run.stats.resumes >= 2, `hello.resume used ${run.stats.resumes} times`);
    assert.ok(run.stats.cursorSubscribes >= 2, `subscribe{after} used ${run.stats.cursorSubscribes} times`);
    assert.equal(run.stats.resumes + run.stats.cursorSubscribes, 8 * 2);
    assert.match(run.out, /✓ reconnects: count>0 \((\d+)\)/);
  });

  test('passes when resumes cross compacted runs (retention of 1 frame), with the history missing them', async () => {
    const run = await storm({ relay: { retentionFrames: 1 } });
    passed(run);
    assert.ok(run.stats.compactedRuns >= 1, `compacted runs sent: ${run.stats.compactedRuns}`);
  });

  test('fails when a resume replays the cursor frame again', async () => failedOn(await storm({ relay: { fault: { kind: 'resume-off-by-one' } } }), 'frames_duplicated'));

  test('fails when a resume skips the first frame after the cursor', async () => failedOn(await storm({ relay: { fault: { kind: 'resume-skip' } } }), 'frames_lost'));
});

const soak = (options = {}) => runScript('soak.js', {
  args: ['--vus', '3', '--duration', '3s'],
  ...options,
  env: { SESSION_MS: '1500', SEND_INTERVAL_MS: '150', DROP_EVERY_MS: '500', REPLY_TIMEOUT_MS: '3000', TOKEN_TTL_S: '60', ...options.env },
});

describe('soak.js', () => {
  test('passes across drains (1012), server pings and token refreshes', async () => {
    // token_expiring 59.5 s before exp: at once; heartbeat 300 ms: server pings while idle.
    const run = await soak({ relay: { drainEveryMs: 1200, heartbeatMs: 300, tokenExpiringMs: 59_500 } });
    passed(run);
    assert.ok(run.stats.drains >= 1, 'the relay drained');
    assert.ok(run.stats.refreshes >= 1, 'tokens were refreshed');
    assert.match(run.out, /reconnects \.+ \d+/);
  });

  test('fails when a frame is lost', async () => failedOn(await soak({ relay: { fault: { kind: 'drop', seq: 12 } } }), 'frames_lost'));
});
