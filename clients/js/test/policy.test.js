// Pure policy functions: backoff with full jitter, close-code policy, URL derivation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, closePolicy, defaultUrl, httpBaseOf, DEFAULTS } from '../relay-client.js';

const { backoffBaseMs: BASE, backoffCapMs: CAP } = DEFAULTS;

test('first retry lands within 1 s for any random value', () => {
  for (const r of [0, 0.25, 0.5, 0.999999]) {
    const delay = backoffDelay(0, () => r, BASE, CAP);
    assert.ok(delay >= 0 && delay < 1000, `delay ${delay} for random ${r}`);
  }
});

test('the jitter window doubles per attempt and stops at the 16 s cap', () => {
  const top = () => 0.999999;
  const windows = [0, 1, 2, 3, 4, 5, 6, 20, 100].map((a) => backoffDelay(a, top, BASE, CAP) + 1);
  assert.deepEqual(windows, [1000, 2000, 4000, 8000, 16000, 16000, 16000, 16000, 16000]);
});

test('full jitter: the delay is spread over the whole window, down to zero', () => {
  assert.equal(backoffDelay(4, () => 0, BASE, CAP), 0);
  assert.equal(backoffDelay(4, () => 0.5, BASE, CAP), 8000);
  const seen = new Set();
  let seed = 7;
  const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(3, lcg, BASE, CAP);
    assert.ok(d >= 0 && d < 8000);
    seen.add(Math.floor(d / 1000));
  }
  assert.equal(seen.size, 8, 'every 1 s bucket of the 8 s window is hit');
});

test('close-code policy follows the PROTOCOL.md table', () => {
  const expected = {
    1000: 'stop',
    1001: 'reconnect',
    1005: 'reconnect',
    1006: 'reconnect',
    1011: 'reconnect',
    1012: 'reconnect',
    1013: 'reconnect',
    4000: 'reconnect',
    4001: 'reconnect',
    4003: 'reconnect',
    4008: 'reconnect',
    4029: 'reconnect',
    4401: 'reauth',
    4499: 'reconnect',
    4500: 'stop',
    4503: 'stop',
    4513: 'stop',
    4999: 'stop',
  };
  for (const [code, policy] of Object.entries(expected)) {
    assert.equal(closePolicy(Number(code)), policy, `code ${code}`);
  }
});

test('default URL is same origin /ws with ws or wss from the page scheme', () => {
  assert.equal(defaultUrl({ protocol: 'http:', host: 'localhost:8080' }), 'ws://localhost:8080/ws');
  assert.equal(defaultUrl({ protocol: 'https:', host: 'chat.example' }), 'wss://chat.example/ws');
  assert.throws(() => defaultUrl(undefined), /url/);
});

test('HTTP base is derived from the WebSocket URL', () => {
  assert.equal(httpBaseOf('ws://localhost:8080/ws'), 'http://localhost:8080');
  assert.equal(httpBaseOf('wss://chat.example/ws'), 'https://chat.example');
  assert.equal(httpBaseOf('wss://chat.example/relay/ws'), 'https://chat.example/relay');
});
