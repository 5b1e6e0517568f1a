// k6/metrics: Counter, Gauge, Rate, Trend. Samples go to the coordinator, which aggregates them.
import { emitSample, post } from '../lib/vu-channel.mjs';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

class Metric {
  constructor(type, name, isTime = false) {
    if (!NAME.test(name)) throw new Error(`invalid metric name: ${name}`);
    this.name = name;
    this.type = type;
    this.isTime = Boolean(isTime);
    post({ op: 'metric', name, type, isTime: this.isTime });
  }

  add(value, tags) {
    const number = typeof value === 'boolean' ? Number(value) : Number(value);
    if (!Number.isFinite(number)) throw new Error(`${this.name}: not a number: ${value}`);
    emitSample({ m: this.name, v: number, t: tags ?? null });
    return true;
  }
}

export class Counter extends Metric { constructor(name, isTime) { super('counter', name, isTime); } }
export class Gauge extends Metric { constructor(name, isTime) { super('gauge', name, isTime); } }
export class Trend extends Metric { constructor(name, isTime) { super('trend', name, isTime); } }
export class Rate extends Metric {
  constructor(name) { super('rate', name, false); }
  add(value, tags) { return super.add(value ? 1 : 0, tags); }
}

export default { Counter, Gauge, Rate, Trend };
