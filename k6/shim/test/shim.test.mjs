// The shim itself: its pieces, and the exit codes and time bounds a smoke run relies on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../lib/cli.mjs';
import { parseDurationMs } from '../lib/duration.mjs';
import { MetricsStore } from '../lib/metrics-store.mjs';
import { evaluateThresholds, parseExpression, parseThresholdKey } from '../lib/thresholds.mjs';

const RUNNER = fileURLToPath(new URL('../run.mjs', import.meta.url));
const script = (name) => fileURLToPath(new URL(`./scripts/${name}`, import.meta.url));
const shim = (name, ...args) => spawnSync(process.execPath, [RUNNER, script(name), ...args], { encoding: 'utf8', timeout: 60_000 });

describe('durations and arguments', () => {
  test('k6 durations', () => {
    assert.equal(parseDurationMs('1m30s'), 90_000);
    assert.equal(parseDurationMs('250ms'), 250);
    assert.equal(parseDurationMs('1.5s'), 1500);
    assert.equal(parseDurationMs('2h'), 7_200_000);
    assert.throws(() => parseDurationMs('10 minutes'), /invalid duration/);
  });

  test('runner flags', () => {
    assert.deepEqual(parseArgs(['s.js', '--vus', '3', '-d', '5s', '-e', 'A=b=c']),
      { script: 's.js', vus: 3, duration: '5s', env: { A: 'b=c' } });
    assert.throws(() => parseArgs(['s.js', '--vus', '0']), /positive integer/);
    assert.throws(() => parseArgs(['--nope']), /unknown option/);
  });
});

describe('thresholds', () => {
  const store = new MetricsStore();
  store.define('lost', 'counter', false);
  store.define('latency', 'trend', true);
  store.define('checks', 'rate', false);
  store.define('empty', 'trend', true);
  for (const v of [10, 20, 30, 40, 1000]) store.add({ m: 'latency', v, t: { kind: v > 100 ? 'slow' : 'fast' } });
  store.add({ m: 'checks', v: 1, t: null });
  store.add({ m: 'checks', v: 0, t: null });

  test('parses keys with tag filters and expressions', () => {
    assert.deepEqual(parseThresholdKey('latency{kind:fast,x:y}'), { name: 'latency', filter: { kind: 'fast', x: 'y' } });
    assert.equal(parseExpression('p(99.9) < 5').percent, 99.9);
    assert.throws(() => parseExpression('p99<5'), /invalid threshold expression/);
  });

  test('evaluates counters, rates, trends and submetrics', () => {
    const results = evaluateThresholds({
      lost: ['count==0'],
      checks: ['rate==1'],
      latency: ['p(50)<=30', 'max<500'],
      'latency{kind:fast}': ['max<500'],
      empty: ['p(99)<1'],
    }, store);
    assert.deepEqual(results.map((r) => [r.key, r.expression, r.ok]), [
      ['lost', 'count==0', true],
      ['checks', 'rate==1', false],
      ['latency', 'p(50)<=30', true],
      ['latency', 'max<500', false],
      ['latency{kind:fast}', 'max<500', true],
      ['empty', 'p(99)<1', true],
    ]);
    assert.equal(results.at(-1).note, 'no samples');
  });

  test('refuses thresholds on unknown metrics or with the wrong aggregation', () => {
    assert.throws(() => evaluateThresholds({ nope: ['count==0'] }, store), /no metric named nope/);
    assert.throws(() => evaluateThresholds({ lost: ['p(99)<1'] }, store), /needs a Trend/);
  });
});

describe('runs', () => {
  test('per-VU module state, setup data, metrics, encodings and submetric thresholds behave as in k6', () => {
    const run = shim('per-vu-state.js');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ hits: count==9 \(9\)/);
  });

  test('flags follow k6 v2.2.0: --vus alone runs that many iterations instead of the scenario', () => {
    const scenario = shim('scenario-count.js');
    assert.equal(scenario.status, 99, 'the script scenario (3 VUs for 1 s) runs more than 2 iterations');
    const vusAlone = shim('scenario-count.js', '--vus', '2');
    assert.equal(vusAlone.status, 0, vusAlone.stdout + vusAlone.stderr);
    assert.match(vusAlone.stdout, /✓ iterations_run: count==2 \(2\)/);
    // --duration alone: 1 VU (k6 keeps no scenario VUs), so 1 s of 250 ms iterations stays under 6.
    const durationAlone = shim('scenario-count.js', '--duration', '1s', '--graceful-stop', '1s');
    assert.match(durationAlone.stdout, /iterations_run: count==2 \([3-5]\)/);
  });

  test('a failed check fails the run even without a threshold', () => {
    const run = shim('failing-check.js');
    assert.equal(run.status, 98, run.stdout + run.stderr);
    assert.match(run.stdout, /✗ first iteration only \(1\/2\)/);
  });

  test("k6/lib/replies.js: a restart before a reply's chunks is well formed, one after its message a problem", () => {
    const run = shim('reply-tracker.js');
    assert.equal(run.status, 98, run.stdout + run.stderr); // the tracker's own check fails the late restart
    assert.match(run.stdout, /✓ a restart before the chunks: the reply completes well formed \(1\/1\)/);
    assert.match(run.stdout, /✓ a restart after the message is a problem \(1\/1\)/);
    assert.match(run.stdout, /✗ reply well-formed \(1\/2\)/);
    assert.match(run.stderr, /reply late: restart in phase ENDED/);
  });

  test('a script error fails the run', () => {
    const run = shim('throws.js');
    assert.equal(run.status, 107, run.stdout + run.stderr);
    assert.match(run.stderr, /boom from the script/);
  });

  test('an iteration that never ends is interrupted after the graceful stop', () => {
    const started = Date.now();
    const run = shim('never-ends.js');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.match(run.stdout, /0 completed, 0 with a script error, 2 interrupted/);
  });
});
