// The validator must pass the shipped manifests and catch each class of mistake it claims to catch.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkObjects } from '../lib/check-objects.mjs';
import { readKnownEnv } from '../lib/known-env.mjs';
import { renderKustomization } from '../lib/render.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const k8sRoot = resolve(here, '../..');
const knownEnv = readKnownEnv(resolve(here, '../known-env.txt'));

let rendered;
before(() => { rendered = renderKustomization(k8sRoot); });

const clone = () => structuredClone(rendered);
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const gateway = (objects) => find(objects, 'Deployment', 'chat-relay-gateway').spec.template.spec.containers[0];
const relay = (objects) => find(objects, 'Deployment', 'chat-relay-relay').spec.template.spec.containers[0];

async function failures(objects) {
  const checks = await checkObjects(objects, { knownEnv });
  return checks.flatMap((c) => c.errors.map((e) => `${c.subject}: ${e}`));
}

async function expectFailure(mutate, pattern) {
  const objects = clone();
  mutate(objects);
  const found = await failures(objects);
  assert.ok(found.some((f) => pattern.test(f)), `expected a failure matching ${pattern}, got:\n${found.join('\n') || '(none)'}`);
}

describe('shipped manifests', () => {
  test('the default kustomization passes every check', async () => {
    assert.deepEqual(await failures(clone()), []);
  });
});

describe('catches', () => {
  test('a RELAY_* variable missing from known-env.txt', () => expectFailure(
    (o) => gateway(o).env.push({ name: 'RELAY_NOT_A_SETTING', value: '1' }), /RELAY_NOT_A_SETTING is not listed/));

  test('an unknown RELAY_* key in the shared ConfigMap', () => expectFailure(
    (o) => { o.find((x) => x.kind === 'ConfigMap').data.RELAY_TYPO_PORT = '1'; }, /RELAY_TYPO_PORT is not listed/));

  test('a readiness probe on the wrong path', () => expectFailure(
    (o) => { gateway(o).readinessProbe.httpGet.path = '/healthz'; }, /readinessProbe path is \/healthz, expected \/readyz/));

  test('a liveness probe on a port that is not the health port', () => expectFailure(
    (o) => { relay(o).livenessProbe.httpGet.port = 'hazelcast'; }, /livenessProbe targets port 5701/));

  test('RELAY_HTTP_PORT differing from the http container port', () => expectFailure(
    (o) => { gateway(o).env.find((e) => e.name === 'RELAY_HTTP_PORT').value = '9090'; }, /RELAY_HTTP_PORT=9090 but container port http is 8080/));

  test('a relay without RELAY_HEALTH_PORT', () => expectFailure(
    (o) => { relay(o).env = relay(o).env.filter((e) => e.name !== 'RELAY_HEALTH_PORT'); }, /must define RELAY_HEALTH_PORT/));

  test('a schema violation', () => expectFailure(
    (o) => { gateway(o).ports[0].containerPort = 'eighty'; }, /schema: .*containerPort must be integer/));

  test('a misspelt optional field the JSON schema lets through', () => expectFailure(
    (o) => { gateway(o).readinesProbe = gateway(o).readinessProbe; }, /fields: .*'readinesProbe' does not exist in type 'IContainer'/));

  test('a misspelt field of a pod spec', () => expectFailure(
    (o) => { find(o, 'Deployment', 'chat-relay-relay').spec.template.spec.terminationGracePeriod = 30; }, /'terminationGracePeriod' does not exist/));

  test('a literal cluster host', () => expectFailure(
    (o) => { gateway(o).env.find((e) => e.name === 'RELAY_CLUSTER_HOST').valueFrom = undefined; }, /RELAY_CLUSTER_HOST must come from fieldRef status.podIP/));

  test('a discovery Service that hides starting pods', () => expectFailure(
    (o) => { find(o, 'Service', 'chat-relay-cluster').spec.publishNotReadyAddresses = false; }, /publishNotReadyAddresses/));

  test('cluster ports open to every pod', () => expectFailure(
    (o) => { find(o, 'NetworkPolicy', 'chat-relay-cluster-ports').spec.ingress[0].from = [{ podSelector: {} }]; }, /port 5701 from every pod/));

  test('cluster ports open to another namespace', () => expectFailure(
    (o) => { find(o, 'NetworkPolicy', 'chat-relay-cluster-ports').spec.ingress[0].from.push({ namespaceSelector: {} }); }, /port 5702 from outside/));

  test('an HTTP rule without ports that also opens the cluster ports', () => expectFailure(
    (o) => { delete find(o, 'NetworkPolicy', 'chat-relay-gateway-http').spec.ingress[0].ports; }, /allows port 5701 from anywhere/));

  test('Redis reachable from anywhere', () => expectFailure(
    (o) => { find(o, 'NetworkPolicy', 'chat-relay-redis').spec.ingress[0].from = []; }, /port 6379 from anywhere/));

  test('a grace period shorter than the drain', () => expectFailure(
    (o) => { find(o, 'Deployment', 'chat-relay-gateway').spec.template.spec.terminationGracePeriodSeconds = 15; }, /terminationGracePeriodSeconds 15/));

  test('a Service whose targetPort does not exist', () => expectFailure(
    (o) => { find(o, 'Service', 'chat-relay-gateway').spec.ports[0].targetPort = 'web'; }, /targetPort web is not a container port/));

  test('missing discovery permissions', () => expectFailure(
    (o) => { find(o, 'Role', 'chat-relay-discovery').rules.pop(); }, /no list on discovery.k8s.io\/endpointslices/));

  test('a reference to a missing Secret key', () => expectFailure(
    (o) => { gateway(o).env.find((e) => e.name === 'RELAY_JWT_HS256_SECRET').valueFrom.secretKeyRef.key = 'nope'; }, /Secret chat-relay-jwt has no key nope/));
});

describe('command line', () => {
  let work;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'validate-k8s-'));
    cpSync(k8sRoot, join(work, 'k8s'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('exits 1 and reports the count when a manifest is broken', () => {
    const file = join(work, 'k8s/app/gateway.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('path: /readyz', 'path: /ready'));
    const run = spawnSync('node', [resolve(here, '../validate.mjs'), join(work, 'k8s')], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const last = run.stdout.trim().split('\n').pop();
    assert.match(last, /^\d+ passed, [1-9]\d* failed$/);
  });

  test('exits 0 with `N passed, 0 failed` on the shipped manifests', () => {
    const out = execFileSync('node', [resolve(here, '../validate.mjs')], { encoding: 'utf8' });
    assert.match(out.trim().split('\n').pop(), /^\d+ passed, 0 failed$/);
  });
});
