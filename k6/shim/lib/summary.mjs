// End-of-test summary in the spirit of k6's: metrics, checks, thresholds, then one verdict line.
import { formatMs } from './duration.mjs';

const fmt = (value, isTime) => (value === undefined ? '-' : isTime ? formatMs(value) : Number(value.toFixed(3)).toString());

function metricLine(name, a) {
  switch (a.type) {
    case 'counter': return `${a.count} ${a.rate.toFixed(2)}/s`;
    case 'gauge': return `${fmt(a.value, a.isTime)} min=${fmt(a.min, a.isTime)} max=${fmt(a.max, a.isTime)}`;
    case 'rate': return a.rate === undefined ? 'no samples' : `${(a.rate * 100).toFixed(2)}% ✓ ${a.passes} ✗ ${a.fails}`;
    case 'trend': return a.count === 0 ? 'no samples' : ['avg', 'min', 'med', 'max'].map((k) => `${k}=${fmt(a[k], a.isTime)}`)
      .concat([90, 95, 99].map((p) => `p(${p})=${fmt(a.percentile(p), a.isTime)}`)).join(' ');
    default: return '';
  }
}

export function printSummary({ store, checks, thresholds, iterations, out = process.stdout }) {
  const lines = ['', 'metrics:'];
  for (const name of store.names()) {
    const a = store.aggregate(name);
    if (a.count === 0 && (a.type !== 'counter' || a.samples === 0)) continue; // as k6: only metrics that saw data
    lines.push(`  ${(name + ' ').padEnd(28, '.')} ${metricLine(name, a)}`);
  }
  lines.push('', 'checks:');
  for (const [name, c] of checks) lines.push(`  ${c.fail === 0 ? '✓' : '✗'} ${name} (${c.pass}/${c.pass + c.fail})`);
  if (checks.size === 0) lines.push('  (none)');
  lines.push('', 'thresholds:');
  for (const t of thresholds) {
    const value = t.value === undefined ? t.note : Number(t.value.toFixed(3));
    lines.push(`  ${t.ok ? '✓' : '✗'} ${t.key}: ${t.expression} (${value})`);
  }
  if (thresholds.length === 0) lines.push('  (none)');
  lines.push('', `iterations: ${iterations.completed} completed, ${iterations.failed} with a script error, ${iterations.interrupted} interrupted`);
  out.write(lines.join('\n') + '\n');
}
