#!/usr/bin/env node
// k6-shim runner: `node run.mjs <script.js> [--vus N --duration 10s ...]` runs a k6 script on Node:
// init (options) -> setup() -> default() per VU in its own thread -> teardown() -> thresholds.
// Every phase is bounded in time. Exit codes: 0 all passed, 99 a threshold failed (as k6),
// 98 a check failed (the shim is stricter than k6 here), 107 a script error, 108 run time bound exceeded.
import { resolve } from 'node:path';
import { USAGE, parseArgs } from './lib/cli.mjs';
import { parseDurationMs } from './lib/duration.mjs';
import { IterationGate } from './lib/iteration-gate.mjs';
import { MetricsStore } from './lib/metrics-store.mjs';
import { printSummary } from './lib/summary.mjs';
import { evaluateThresholds } from './lib/thresholds.mjs';
import { VuHost } from './lib/vu-host.mjs';

const DEFAULTS = {
  gracefulStop: '30s', // k6's default time for running iterations to finish after the duration
  setupTimeout: '60s', // k6's default bound of setup()
  teardownTimeout: '60s', // k6's default bound of teardown()
  maxDuration: '10m', // k6's bound of an iterations-based run
};
const SLACK_MS = 10_000; // on top of every phase bound, before the watchdog gives up
const EXIT = { ok: 0, thresholds: 99, checks: 98, script: 107, timeout: 108, usage: 2 };

class RunError extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

/** Runs one phase (init, setup, teardown) in its own thread, bounded by `limitMs`. */
async function runPhase(run, phase, data, limitMs) {
  const host = new VuHost(run, phase, 0, data);
  const timer = setTimeout(() => { host.timedOut = true; host.interrupt(); }, limitMs);
  await host.exited;
  clearTimeout(timer);
  if (host.timedOut) throw new RunError(`${phase} exceeded ${limitMs} ms`, EXIT.timeout);
  if (host.fatal) throw new RunError(host.fatal, EXIT.script);
  if (!host.result) throw new RunError(`${phase} ended without a result`, EXIT.script);
  return host.result;
}

/** The one scenario to run: from `options.scenarios` (a single constant-vus or shared-iterations) or the shortcuts. */
function scenarioFrom(options) {
  const entries = Object.entries(options.scenarios ?? {});
  if (options.stages) throw new RunError('k6-shim does not support stages', EXIT.usage);
  if (entries.length === 0) return options;
  if (entries.length > 1) throw new RunError('k6-shim runs a single scenario', EXIT.usage);
  const [name, scenario] = entries[0];
  if (scenario.executor === 'constant-vus') return { ...scenario, iterations: undefined };
  if (scenario.executor === 'shared-iterations') return { ...scenario, duration: scenario.maxDuration };
  throw new RunError(`scenario ${name}: k6-shim supports constant-vus and shared-iterations, not ${scenario.executor}`, EXIT.usage);
}

/**
 * What k6 v2.2.0 runs for these flags and options. lib/options.go: --duration or --iterations on
 * the command line wipe the script's duration, iterations, stages and scenarios (--vus alone wipes
 * nothing); lib/executor/execution_config_shortcuts.go then derives: iterations -> shared-iterations,
 * duration -> constant-vus, vus alone -> `vus` shared iterations in total ("`vus=N` overrides
 * scenarios configuration"), else the script's scenario, else 1 iteration of 1 VU. Derived
 * scenarios get k6's default 30 s graceful stop, not the script scenario's.
 */
function planFrom(args, options) {
  const wipe = args.duration !== undefined || args.iterations !== undefined;
  const vus = args.vus ?? options.vus;
  const duration = args.duration ?? (wipe ? undefined : options.duration);
  const iterations = args.iterations ?? (wipe ? undefined : options.iterations);
  let scenario;
  if (iterations !== undefined) scenario = { vus: vus ?? 1, iterations, duration };
  else if (duration !== undefined) scenario = { vus: vus ?? 1, duration };
  else if (vus !== undefined) scenario = { vus, iterations: vus };
  else if (Object.keys(options.scenarios ?? {}).length > 0) scenario = scenarioFrom(options);
  else scenario = { vus: 1, iterations: 1 };
  if (scenario.exec !== undefined && scenario.exec !== 'default') {
    throw new RunError('k6-shim runs the default function only (no `exec`)', EXIT.usage);
  }
  if (options.stages && !wipe) throw new RunError('k6-shim does not support stages', EXIT.usage);
  return {
    vus: scenario.vus ?? 1,
    iterations: scenario.iterations,
    durationMs: parseDurationMs(scenario.duration ?? DEFAULTS.maxDuration),
    gracefulStopMs: parseDurationMs(args.gracefulStop ?? scenario.gracefulStop ?? DEFAULTS.gracefulStop),
    setupMs: parseDurationMs(options.setupTimeout ?? DEFAULTS.setupTimeout),
    teardownMs: parseDurationMs(options.teardownTimeout ?? DEFAULTS.teardownTimeout),
  };
}

async function runVus(run, plan, data) {
  const hosts = Array.from({ length: plan.vus }, (_, i) => new VuHost(run, 'vu', i + 1, data));
  const initialised = Promise.all(hosts.map((h) => h.ready));
  const initTimer = setTimeout(() => run.gate.close(), parseDurationMs(DEFAULTS.setupTimeout));
  await initialised;
  clearTimeout(initTimer);
  run.gate.start();
  const stop = setTimeout(() => run.gate.close(), plan.durationMs);
  const interrupt = setTimeout(() => {
    process.stderr.write(`k6-shim: graceful stop (${plan.gracefulStopMs} ms) expired, interrupting VUs\n`);
    for (const h of hosts) h.interrupt();
  }, plan.durationMs + plan.gracefulStopMs);
  await Promise.all(hosts.map((h) => h.exited));
  clearTimeout(stop);
  clearTimeout(interrupt);
  for (const h of hosts) if (h.fatal) throw new RunError(`VU ${h.vu}: ${h.fatal}`, EXIT.script);
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (args.help) { process.stdout.write(`${USAGE}\n`); return EXIT.ok; }

  const iterations = { completed: 0, failed: 0, interrupted: 0 };
  const run = {
    script: resolve(args.script),
    env: { ...process.env, ...args.env },
    store: new MetricsStore(),
    checks: new Map(),
    gate: null,
    onIteration(vu, outcome) {
      if (outcome.ok) iterations.completed++;
      else if (outcome.interrupted) iterations.interrupted++;
      else { iterations.failed++; process.stderr.write(`error[vu=${vu}] iteration failed: ${outcome.error}\n`); }
    },
  };

  const init = await runPhase(run, 'init', null, parseDurationMs(DEFAULTS.setupTimeout));
  if (!init.hasDefault) throw new RunError('the script exports no default function', EXIT.script);
  const options = init.options;
  const plan = planFrom(args, options);
  run.gate = new IterationGate({ durationMs: plan.durationMs, iterations: plan.iterations });
  // setup, VU initialisation (bounded like setup), the scenario, teardown, and slack for each step.
  const bound = 2 * plan.setupMs + plan.durationMs + plan.gracefulStopMs + plan.teardownMs + 4 * SLACK_MS;
  setTimeout(() => {
    process.stderr.write(`k6-shim: run exceeded its time bound of ${bound} ms\n`);
    process.exit(EXIT.timeout);
  }, bound).unref();

  process.stdout.write(`k6-shim: ${args.script}: ${plan.vus} VUs, ${plan.iterations !== undefined
    ? `${plan.iterations} iterations (max ${plan.durationMs} ms)` : `${plan.durationMs} ms`}, graceful stop ${plan.gracefulStopMs} ms\n`);
  const data = init.hasSetup ? (await runPhase(run, 'setup', null, plan.setupMs)).data : null;
  await runVus(run, plan, data);
  if (init.hasTeardown) await runPhase(run, 'teardown', data, plan.teardownMs);
  run.store.finish();

  const thresholds = evaluateThresholds(options.thresholds, run.store);
  printSummary({ store: run.store, checks: run.checks, thresholds, iterations });
  const failedThresholds = thresholds.filter((t) => !t.ok).length;
  const failedChecks = [...run.checks.values()].reduce((n, c) => n + c.fail, 0);
  process.stdout.write(`k6-shim: thresholds ${thresholds.length - failedThresholds}/${thresholds.length} ok, `
    + `failed checks ${failedChecks}, script errors ${iterations.failed}\n`);
  if (failedThresholds > 0) return EXIT.thresholds;
  if (failedChecks > 0) return EXIT.checks;
  if (iterations.failed > 0) return EXIT.script;
  return EXIT.ok;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`k6-shim: ${err.message}\n`);
    process.exit(err instanceof RunError ? err.code : EXIT.script);
  },
);
