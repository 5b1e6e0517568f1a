// k6: check, sleep, group, fail.
import { builtin } from '../lib/builtin-metrics.mjs';
import { pause, post } from '../lib/vu-channel.mjs';

/** Runs each named predicate on `value`, records it in the `checks` rate, returns true when all passed. */
export function check(value, sets, tags) {
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    const ok = Boolean(typeof predicate === 'function' ? predicate(value) : predicate);
    builtin().checks.add(ok, { ...(tags ?? {}), check: name });
    post({ op: 'check', name, ok });
    all &&= ok;
  }
  return all;
}

export function sleep(seconds) {
  pause(Number(seconds) * 1000);
}

export function group(name, fn) {
  return fn();
}

export function fail(message) {
  throw new Error(message);
}

export default { check, sleep, group, fail };
