// Renders a kustomization with the kustomize built into kubectl: offline, never talks to a cluster.
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { kubectlPath } from './kubectl.mjs';

/** Runs `kubectl kustomize <dir>` and returns the rendered objects. Throws with kubectl's message. */
export function renderKustomization(dir) {
  // An empty kubeconfig makes certain that nothing in this process can reach a cluster.
  const env = { ...process.env, KUBECONFIG: '/dev/null' };
  let text;
  try {
    text = execFileSync(kubectlPath(), ['kustomize', dir], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const detail = (err.stderr || err.message || '').toString().trim();
    throw new Error(`kubectl kustomize ${dir} failed: ${detail}`);
  }
  return parseManifests(text);
}

/** Parses a multi-document YAML stream into plain objects, failing on any YAML error. */
export function parseManifests(text) {
  const objects = [];
  // The API server reads YAML 1.1 (octal 0644, yes/no booleans); parse it the same way.
  for (const doc of parseAllDocuments(text, { version: '1.1' })) {
    if (doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}
