// ESM loader hooks for a VU thread: `k6` and `k6/*` resolve to the shim's modules, and a script's
// own `.js` files load as ES modules whatever package.json says (k6 scripts are always ES modules).
const MODULES = {
  k6: 'k6.mjs',
  'k6/ws': 'k6-ws.mjs',
  'k6/http': 'k6-http.mjs',
  'k6/metrics': 'k6-metrics.mjs',
  'k6/crypto': 'k6-crypto.mjs',
  'k6/encoding': 'k6-encoding.mjs',
  'k6/execution': 'k6-execution.mjs',
};

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const file = MODULES[specifier];
    if (!file) throw new Error(`k6-shim does not implement module '${specifier}'`);
    return { url: new URL(`../modules/${file}`, import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.js') && !url.includes('/node_modules/')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
