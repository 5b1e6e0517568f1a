// k6 threshold expressions: `metric{tag:value}` keys with `agg op number` conditions,
// e.g. `count==0`, `rate==1`, `p(99)<800`, `avg<=200`.
const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;
const KEY = /^([a-zA-Z_][a-zA-Z0-9_]*)(?:\{(.*)\})?$/;

const COMPARE = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
  '==': (a, b) => a === b, '===': (a, b) => a === b, '!=': (a, b) => a !== b,
};

/** Parses `name{tag:value,tag2:value2}` into the metric name and a tag filter. */
export function parseThresholdKey(key) {
  const m = KEY.exec(key.trim());
  if (!m) throw new Error(`invalid threshold metric: ${key}`);
  const filter = {};
  for (const pair of (m[2] ?? '').split(',').filter((p) => p.trim() !== '')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new Error(`invalid threshold tag filter in ${key}`);
    filter[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return { name: m[1], filter };
}

export function parseExpression(text) {
  const m = EXPRESSION.exec(text);
  if (!m) throw new Error(`invalid threshold expression: ${text}`);
  return { aggregation: m[1].startsWith('p(') ? 'p' : m[1], percent: m[2] ? Number(m[2]) : undefined,
    operator: m[3], bound: Number(m[4]), source: text.trim() };
}

function observed(aggregate, expression) {
  if (expression.aggregation === 'p') return aggregate.percentile?.(expression.percent);
  return aggregate[expression.aggregation];
}

/**
 * Evaluates `options.thresholds` against the store. Returns [{ key, expression, value, ok, note }].
 * As in k6, a threshold on a rate/trend/gauge that got no samples passes (marked `no samples`);
 * a counter without samples counts 0.
 */
export function evaluateThresholds(thresholds, store) {
  const results = [];
  for (const [key, list] of Object.entries(thresholds ?? {})) {
    const { name, filter } = parseThresholdKey(key);
    for (const item of Array.isArray(list) ? list : [list]) {
      const expression = parseExpression(typeof item === 'string' ? item : item.threshold);
      const aggregate = store.aggregate(name, filter);
      if (!aggregate) throw new Error(`threshold on ${key}: no metric named ${name} was defined`);
      const empty = aggregate.count === 0 && aggregate.type !== 'counter';
      if (aggregate && aggregate.type !== 'trend' && expression.aggregation === 'p') {
        throw new Error(`threshold ${key}: ${expression.source} needs a Trend, ${name} is a ${aggregate.type}`);
      }
      if (empty) {
        results.push({ key, expression: expression.source, value: undefined, ok: true, note: 'no samples' });
        continue;
      }
      const value = observed(aggregate, expression);
      if (value === undefined) throw new Error(`threshold ${key}: ${expression.aggregation} does not apply to a ${aggregate.type}`);
      results.push({ key, expression: expression.source, value, ok: COMPARE[expression.operator](value, expression.bound) });
    }
  }
  return results;
}
