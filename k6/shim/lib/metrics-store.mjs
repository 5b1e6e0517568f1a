// Coordinator-side metric registry: every sample with its tags, aggregated on demand
// (fine for smoke runs; real k6 streams into sinks instead).

export class MetricsStore {
  constructor() {
    this.metrics = new Map(); // name -> { type, isTime, samples: [{ v, t }] }
    this.startedAt = Date.now();
    this.endedAt = null;
  }

  define(name, type, isTime) {
    const existing = this.metrics.get(name);
    if (existing && existing.type !== type) throw new Error(`metric ${name} redefined as ${type} (was ${existing.type})`);
    if (!existing) this.metrics.set(name, { type, isTime, samples: [] });
  }

  add({ m, v, t }) {
    const metric = this.metrics.get(m);
    if (!metric) throw new Error(`sample for undefined metric ${m}`);
    metric.samples.push({ v, t });
  }

  finish() {
    this.endedAt = Date.now();
  }

  /** Aggregations of a metric, optionally only over samples whose tags include `filter`. */
  aggregate(name, filter = {}) {
    const metric = this.metrics.get(name);
    if (!metric) return null;
    const entries = Object.entries(filter);
    const values = metric.samples
      .filter((s) => entries.every(([k, v]) => s.t && String(s.t[k]) === v))
      .map((s) => s.v);
    return { type: metric.type, isTime: metric.isTime, count: values.length, ...summarize(metric.type, values, this.seconds()) };
  }

  seconds() {
    return Math.max(0.001, ((this.endedAt ?? Date.now()) - this.startedAt) / 1000);
  }

  names() {
    return [...this.metrics.keys()].sort();
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

function summarize(type, values, seconds) {
  const total = values.reduce((a, b) => a + b, 0);
  switch (type) {
    case 'counter':
      return { samples: values.length, count: total, rate: total / seconds };
    case 'gauge':
      return { value: values.at(-1), min: Math.min(...values), max: Math.max(...values) };
    case 'rate':
      return { passes: values.filter((v) => v !== 0).length, fails: values.filter((v) => v === 0).length,
        rate: values.length === 0 ? undefined : values.filter((v) => v !== 0).length / values.length };
    case 'trend': {
      const sorted = [...values].sort((a, b) => a - b);
      return { avg: values.length ? total / values.length : undefined, min: sorted[0], max: sorted.at(-1),
        med: percentile(sorted, 50), percentile: (p) => percentile(sorted, p) };
    }
    default:
      throw new Error(`unknown metric type ${type}`);
  }
}
