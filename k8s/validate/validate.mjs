#!/usr/bin/env node
// Validates the kustomize manifests offline: renders each kustomization with `kubectl kustomize`,
// checks every object against the Kubernetes schemas (kubernetes-models) and the chat-relay
// consistency rules, prints each failure and a final `N passed, M failed` line; exits 1 on any failure.
// Usage: node validate.mjs [kustomization-dir ...]   (default: k8s/ and every k8s/overlays/*)
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkObjects } from './lib/check-objects.mjs';
import { readKnownEnv, readNameList } from './lib/known-env.mjs';
import { renderKustomization } from './lib/render.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const k8sRoot = resolve(here, '..');

function defaultTargets() {
  const overlays = join(k8sRoot, 'overlays');
  const children = existsSync(overlays) ? readdirSync(overlays).map((d) => join(overlays, d)) : [];
  return [k8sRoot, ...children.filter((d) => existsSync(join(d, 'kustomization.yaml')))];
}

async function main() {
  const targets = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : defaultTargets();
  const knownEnv = readKnownEnv(join(here, 'known-env.txt'));
  const operatorSecrets = readNameList(join(here, 'operator-secrets.txt'));
  let passed = 0;
  let failed = 0;
  for (const target of targets) {
    const label = relative(resolve(k8sRoot, '..'), target) || '.';
    let objects;
    try {
      objects = renderKustomization(target);
      passed++;
    } catch (err) {
      failed++;
      console.log(`FAIL ${label}: ${err.message}`);
      continue;
    }
    let targetFailed = 0;
    const checks = await checkObjects(objects, { knownEnv, operatorSecrets });
    for (const check of checks) {
      if (check.errors.length === 0) { passed++; continue; }
      failed++;
      targetFailed++;
      for (const error of check.errors) console.log(`FAIL ${label}: ${check.subject}: ${error}`);
    }
    console.log(`${targetFailed === 0 ? 'ok  ' : 'FAIL'} ${label}: ${objects.length} objects, ${checks.length} checks`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(`validate-k8s: ${err.stack || err.message}`);
  process.exitCode = 2;
});
