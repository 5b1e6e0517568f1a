// Entry of one k6 VU thread (also used for the init, setup and teardown phases): gives the script
// its own module instance and globals (__VU, __ITER, __ENV, open) as k6 gives each VU its own runtime.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, resolve } from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { builtin } from './builtin-metrics.mjs';
import { InterruptedError, attach, call, flushSamples, post } from './vu-channel.mjs';

register(new URL('./hooks.mjs', import.meta.url));

const { phase, script, vu, env, port, flagBuffer, data } = workerData;
attach(port, flagBuffer);
builtin(); // the built-in metrics exist from the start, as in k6

globalThis.__VU = vu;
globalThis.__ITER = 0;
globalThis.__ENV = env;
globalThis.open = (path, mode) => readFileSync(resolve(dirname(script), path), mode === 'b' ? null : 'utf8');

// One line per log call, tagged with the VU, as `k6 run` does with source=console.
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const write = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
  console[level] = (...args) => write.write(`${level === 'log' ? 'info' : level}[vu=${vu}] ${format(...args)}\n`);
}

const describeError = (err) => (err instanceof Error ? err.stack || err.message : String(err));

function runIterations(run) {
  for (;;) {
    const next = call('iter.next');
    if (!next.go) return;
    globalThis.__ITER = next.iter;
    const started = Date.now();
    let outcome = { ok: true };
    try {
      run(data);
    } catch (err) {
      outcome = err instanceof InterruptedError ? { ok: false, interrupted: true } : { ok: false, error: describeError(err) };
    }
    builtin().iterationDuration.add(Date.now() - started);
    builtin().iterations.add(1);
    flushSamples();
    post({ op: 'iteration', ...outcome });
    if (outcome.interrupted) return;
  }
}

async function main() {
  let mod;
  try {
    mod = await import(pathToFileURL(script).href);
  } catch (err) {
    post({ op: 'fatal', error: `cannot load ${script}: ${describeError(err)}` });
    return;
  }
  try {
    if (phase === 'init') {
      post({ op: 'init', options: JSON.parse(JSON.stringify(mod.options ?? {})),
        hasSetup: typeof mod.setup === 'function', hasTeardown: typeof mod.teardown === 'function',
        hasDefault: typeof mod.default === 'function' });
    } else if (phase === 'setup') {
      const result = mod.setup ? mod.setup() : undefined;
      flushSamples();
      post({ op: 'setup', data: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
    } else if (phase === 'teardown') {
      if (mod.teardown) mod.teardown(data);
      flushSamples();
      post({ op: 'teardown' });
    } else {
      post({ op: 'ready' }); // initialised: the test clock starts once every VU is
      runIterations(mod.default);
      post({ op: 'done' });
    }
  } catch (err) {
    flushSamples();
    post({ op: 'fatal', error: `${phase}: ${describeError(err)}` });
  }
  // Nothing else keeps this thread alive: it ends once its queued messages are out.
}

await main();
