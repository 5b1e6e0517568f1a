// The validator must pass the shipped manifests and catch each class of mistake it claims to catch.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkObjects } from '../lib/check-objects.mjs';
import { readKnownEnv, readNameList } from '../lib/known-env.mjs';
import { kubectlPath } from '../lib/kubectl.mjs';
import { renderKustomization } from '../lib/render.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const k8sRoot = resolve(here, '../..');
const knownEnv = readKnownEnv(resolve(here, '../known-env.txt'));
const operatorSecrets = readNameList(resolve(here, '../operator-secrets.txt'));

let rendered;
before(() => { rendered = renderKustomization(k8sRoot); });

const clone = () => structuredClone(rendered);
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const gateway = (objects) => find(objects, 'Deployment', 'chat-relay-gateway').spec.template.spec.containers[0];
const relay = (objects) => find(objects, 'Deployment', 'chat-relay-relay').spec.template.spec.containers[0];
const worker = (objects) => find(objects, 'Deployment', 'chat-relay-worker').spec.template.spec.containers[0];
const redis = (objects) => find(objects, 'StatefulSet', 'chat-relay-redis').spec.template.spec.containers[0];
const sharedName = (objects) => objects.find((x) => x.kind === 'ConfigMap').metadata.name;
const setEnv = (container, name, value) => {
  container.env = container.env.filter((e) => e.name !== name);
  container.env.push({ name, value });
};

async function failures(objects) {
  const checks = await checkObjects(objects, { knownEnv, operatorSecrets });
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
    (o) => { relay(o).livenessProbe.httpGet.port = 'hazelcast'; }, /livenessProbe targets port 5701, but the HTTP\/health port is 9090/));

  test('RELAY_HTTP_PORT differing from the http container port', () => expectFailure(
    (o) => { gateway(o).env.find((e) => e.name === 'RELAY_HTTP_PORT').value = '9090'; }, /RELAY_HTTP_PORT=9090 but container port http is 8080/));

  test('a relay without an admin or health port', () => expectFailure(
    (o) => { relay(o).env = relay(o).env.filter((e) => e.name !== 'RELAY_ADMIN_PORT'); }, /must define RELAY_ADMIN_PORT/));

  test('a schema violation', () => expectFailure(
    (o) => { gateway(o).ports[0].containerPort = 'eighty'; }, /schema: .*containerPort must be integer/));

  test('a misspelt optional field the JSON schema lets through', () => expectFailure(
    (o) => { gateway(o).readinesProbe = gateway(o).readinessProbe; }, /fields: .*'readinesProbe' does not exist in type 'IContainer'/));

  test('a misspelt field of a CRD the components may use (cert-manager Certificate)', () => expectFailure(
    (o) => o.push({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate',
      metadata: { name: 'chat-relay-eventbus', labels: { 'app.kubernetes.io/name': 'chat-relay', 'app.kubernetes.io/part-of': 'chat-relay', 'app.kubernetes.io/instance': 'chat-relay' } },
      spec: { secretNme: 'x', issuerRef: { name: 'ca' } } }),
    /Certificate\/chat-relay-eventbus fields: .*'secretNme' does not exist/));

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

  test('a grace period shorter than preStop + shutdown + cluster leave + close', () => expectFailure(
    (o) => { find(o, 'Deployment', 'chat-relay-gateway').spec.template.spec.terminationGracePeriodSeconds = 45; },
    /chat-relay-gateway .*terminationGracePeriodSeconds 45 <= preStop 5 s \+ shutdown 25 s \+ cluster leave 10 s \+ close 5 s/));

  test('a relay grace period equal to its shutdown bound', () => expectFailure(
    (o) => { find(o, 'Deployment', 'chat-relay-relay').spec.template.spec.terminationGracePeriodSeconds = 30; }, /chat-relay-relay .*terminationGracePeriodSeconds 30/));

  test('a drain longer than the shutdown bound', () => expectFailure(
    (o) => { gateway(o).env.find((e) => e.name === 'RELAY_DRAIN_GRACE_MS').value = '30000'; }, /RELAY_DRAIN_GRACE_MS 30000 must be below/));

  test('a Service whose targetPort does not exist', () => expectFailure(
    (o) => { find(o, 'Service', 'chat-relay-gateway').spec.ports[0].targetPort = 'web'; }, /targetPort web is not a container port/));

  test('missing discovery permissions', () => expectFailure(
    (o) => { find(o, 'Role', 'chat-relay-discovery').rules.pop(); }, /no list on discovery.k8s.io\/endpointslices/));

  test('a reference to a missing ConfigMap key', () => expectFailure(
    (o) => { gateway(o).env.push({ name: 'RELAY_HEARTBEAT_MS', valueFrom: { configMapKeyRef: { name: sharedName(o), key: 'nope' } } }); },
    /ConfigMap chat-relay-shared-\w+ has no key nope/));
});

describe('catches production mistakes (operations)', () => {
  const deployment = (o, name) => find(o, 'Deployment', `chat-relay-${name}`);
  const hpa = (o, name) => find(o, 'HorizontalPodAutoscaler', `chat-relay-${name}`);

  test('replicas in a Deployment an HPA scales', () => expectFailure(
    (o) => { deployment(o, 'worker').spec.replicas = 2; }, /chat-relay-worker sets replicas: 2, but HorizontalPodAutoscaler\/chat-relay-worker owns the count/));

  test('a relay HPA without scale-up behaviour', () => expectFailure(
    (o) => { delete hpa(o, 'relay').spec.behavior.scaleUp; }, /chat-relay-relay behavior .*behavior.scaleUp is missing/));

  test('a relay HPA adding several relays per period', () => expectFailure(
    (o) => { hpa(o, 'relay').spec.behavior.scaleUp.policies[0].value = 3; }, /scaleUp policy Pods 3 moves more than 1 pod/));

  test('a relay HPA reacting at once', () => expectFailure(
    (o) => { hpa(o, 'relay').spec.behavior.scaleUp.stabilizationWindowSeconds = 0; }, /scaleUp.stabilizationWindowSeconds must be at least 120/));

  test('a gateway HPA scaling down by percent', () => expectFailure(
    (o) => { hpa(o, 'gateway').spec.behavior.scaleDown.policies = [{ type: 'Percent', value: 50, periodSeconds: 60 }]; },
    /chat-relay-gateway behavior .*scaleDown policy Percent 50/));

  test('a gateway that is a Hazelcast data member', () => expectFailure(
    (o) => { setEnv(gateway(o), 'RELAY_CLUSTER_LITE_MEMBER', 'false'); }, /a gateway must set RELAY_CLUSTER_LITE_MEMBER=true/));

  test('a lite relay', () => expectFailure(
    (o) => { setEnv(relay(o), 'RELAY_CLUSTER_LITE_MEMBER', 'true'); }, /a relay must be a data member/));

  test('a cluster name not taken from the instance label', () => expectFailure(
    (o) => { setEnv(worker(o), 'RELAY_CLUSTER_NAME', 'chat-relay'); }, /RELAY_CLUSTER_NAME must come from fieldRef metadata.labels\['app.kubernetes.io\/instance'\]/));

  test('a gateway readiness probe that flips on one failure', () => expectFailure(
    (o) => { gateway(o).readinessProbe.failureThreshold = 1; }, /readinessProbe.failureThreshold 1/));

  test('a shard grace shorter than a handover', () => expectFailure(
    (o) => { o.find((x) => x.kind === 'ConfigMap').data.RELAY_READY_SHARD_GRACE_MS = '1000'; }, /RELAY_READY_SHARD_GRACE_MS 1000/));

  test('no zone spread', () => expectFailure(
    (o) => { const spec = deployment(o, 'relay').spec.template.spec; spec.topologySpreadConstraints = spec.topologySpreadConstraints.slice(1); },
    /chat-relay-relay topology spread .*no topologySpreadConstraint on topology.kubernetes.io\/zone/));

  test('a spread constraint counting another role', () => expectFailure(
    (o) => { delete deployment(o, 'worker').spec.template.spec.topologySpreadConstraints[1].labelSelector.matchLabels['app.kubernetes.io/component']; },
    /chat-relay-worker topology spread .*also counts Deployment\/chat-relay-gateway/));

  test('a selector without the instance label', () => expectFailure(
    (o) => { delete deployment(o, 'gateway').spec.selector.matchLabels['app.kubernetes.io/instance']; }, /selector does not include app.kubernetes.io\/instance/));

  test('an object without the instance label', () => expectFailure(
    (o) => { delete find(o, 'Service', 'chat-relay-cluster').metadata.labels['app.kubernetes.io/instance']; }, /Service\/chat-relay-cluster labels .*instance is missing/));

  test('unbounded direct memory', () => expectFailure(
    (o) => { setEnv(relay(o), 'JAVA_TOOL_OPTIONS', '-XX:MaxRAMPercentage=50'); }, /must bound Netty direct memory/));

  test('a heap that leaves no room in the limit', () => expectFailure(
    (o) => { setEnv(worker(o), 'JAVA_TOOL_OPTIONS', '-XX:MaxRAMPercentage=75 -XX:MaxDirectMemorySize=128m'); },
    /heap 75 % \+ direct 128 MiB exceed 85 % of the 768 MiB limit/));

  test('a floating image tag', () => expectFailure(
    (o) => { redis(o).image = 'redis:7.2'; }, /image redis:7.2 is not pinned/));

  test('the latest tag', () => expectFailure(
    (o) => { gateway(o).image = 'registry.example.com:5000/chat-relay:latest'; }, /chat-relay:latest is not pinned/));
});

describe('catches security mistakes', () => {
  test('a shipped Secret (placeholder or key)', () => expectFailure(
    (o) => o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'chat-relay-jwt', labels: {} }, stringData: { RELAY_JWT_HS256_SECRET: 'REPLACE-ME' } }),
    /Secret\/chat-relay-jwt shipped .*must not contain Secrets/));

  test('a Secret the operator is not told to create', () => expectFailure(
    (o) => { gateway(o).env.push({ name: 'RELAY_ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: 'chat-relay-admin', key: 't' } } }); },
    /Secret\/chat-relay-admin operator-created .*not listed in k8s\/validate\/operator-secrets.txt/));

  test('Redis without maxmemory', () => expectFailure(
    (o) => { const a = redis(o).args; a.splice(a.indexOf('--maxmemory'), 2); }, /--maxmemory is not set/));

  test('a maxmemory at the container limit', () => expectFailure(
    (o) => { const a = redis(o).args; a[a.indexOf('--maxmemory') + 1] = '1gb'; }, /--maxmemory 1gb leaves under 20 %/));

  test('Redis without a password', () => expectFailure(
    (o) => { find(o, 'StatefulSet', 'chat-relay-redis').spec.template.spec.initContainers = []; }, /no password/));

  test('the Redis URL reaching gateways', () => expectFailure(
    (o) => { setEnv(gateway(o), 'RELAY_REDIS_URL', 'redis://:p@chat-relay-redis:6379/0'); }, /a gateway must not get RELAY_REDIS_URL/));

  test('the Redis URL in the shared ConfigMap', () => expectFailure(
    (o) => { o.find((x) => x.kind === 'ConfigMap').data.RELAY_REDIS_URL = 'redis://chat-relay-redis:6379/0'; },
    /RELAY_REDIS_URL must not be in a ConfigMap/));

  test('a Redis URL without a password', () => expectFailure(
    (o) => { relay(o).env.find((e) => e.name === 'RELAY_REDIS_URL').value = 'redis://chat-relay-redis:6379/0'; }, /RELAY_REDIS_URL has no password/));

  test('a Redis URL naming a Service that is not there (a namePrefix without the URL patch)', () => expectFailure(
    (o) => { find(o, 'Service', 'chat-relay-redis').metadata.name = 'b-chat-relay-redis'; }, /RELAY_REDIS_URL host chat-relay-redis is no Service here/));

  test('Redis reachable from gateways', () => expectFailure(
    (o) => { delete find(o, 'NetworkPolicy', 'chat-relay-redis').spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/component']; },
    /allows port 6379 from Deployment\/chat-relay-gateway/));

  test('metrics and admin on the public port', () => expectFailure(
    (o) => { gateway(o).env = gateway(o).env.filter((e) => e.name !== 'RELAY_ADMIN_PORT'); }, /RELAY_ADMIN_PORT must be set/));

  test('the admin port behind the public Service', () => expectFailure(
    (o) => { find(o, 'Service', 'chat-relay-gateway').spec.ports.push({ name: 'admin', port: 9090, targetPort: 'admin' }); },
    /Service\/chat-relay-gateway internal ports .*exposes the admin port 9090/));

  test('the admin port open to everyone', () => expectFailure(
    (o) => { delete find(o, 'NetworkPolicy', 'chat-relay-admin').spec.ingress[0].from; }, /allows the admin port from anywhere/));

  test('HS256 next to public keys', () => expectFailure(
    (o) => { gateway(o).env.push({ name: 'RELAY_JWT_PUBLIC_KEYS', value: '/etc/keys.pem' }); }, /HS256 must be off/));
});

describe('every kustomization', () => {
  const overlays = readdirSync(join(k8sRoot, 'overlays'));
  for (const overlay of overlays) {
    test(`overlays/${overlay} passes every check`, async () => {
      assert.deepEqual(await failures(renderKustomization(join(k8sRoot, 'overlays', overlay))), []);
    });
  }

  test('jwt-public-keys turns HS256 off and external-redis gives only relays the URL', () => {
    const keys = renderKustomization(join(k8sRoot, 'overlays/jwt-public-keys'));
    const names = gateway(keys).env.map((e) => e.name);
    assert.ok(names.includes('RELAY_JWT_PUBLIC_KEYS') && !names.includes('RELAY_JWT_HS256_SECRET'), names.join(','));
    const external = renderKustomization(join(k8sRoot, 'overlays/external-redis'));
    const withUrl = external.filter((o) => o.kind === 'Deployment')
      .filter((d) => d.spec.template.spec.containers[0].env.some((e) => e.name === 'RELAY_REDIS_URL')).map((d) => d.metadata.name);
    assert.deepEqual(withUrl, ['chat-relay-relay']);
  });

  test('renders with the pinned kubectl (kustomize v5)', () => {
    const out = execFileSync(kubectlPath(), ['version', '--client'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    assert.match(out, /Kustomize Version: v5\./);
  });
});

describe('command line', () => {
  let work;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'validate-k8s-'));
    cpSync(k8sRoot, join(work, 'k8s'), { recursive: true, filter: (src) => !src.includes('node_modules') && !src.includes('/kubectl/bin') });
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
