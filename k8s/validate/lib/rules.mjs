// Consistency rules between the rendered objects and the chat-relay operating contract.
// Each rule returns a list of checks: { subject, errors: [] } (no errors = passed).
import {
  appContainers, describe, effectiveEnv, findObject, podLabelsOf, podSpecOf,
  resolveContainerPort, selectorMatches, workloads,
} from './objects.mjs';

const HEALTH_PATH = '/healthz';
const READY_PATH = '/readyz';

/** Env variables whose value is a port, and the container port name that must carry it. */
export const PORT_VARIABLES = {
  RELAY_HTTP_PORT: 'http',
  RELAY_HEALTH_PORT: 'health',
  RELAY_CLUSTER_PORT: 'hazelcast',
  RELAY_EVENTBUS_PORT: 'eventbus',
  RELAY_ADMIN_PORT: 'admin',
};

export const subjectOf = (workload, container) => `${describe(workload)} container ${container.name}`;

/** Every RELAY_* name set anywhere for a container must be in known-env.txt. */
export function envNamesAreKnown(objects, { knownEnv }) {
  const checks = [];
  for (const workload of workloads(objects)) {
    for (const container of podSpecOf(workload).containers ?? []) {
      const unknown = [...effectiveEnv(container, objects).keys()]
        .filter((name) => name.startsWith('RELAY_') && !knownEnv.has(name));
      checks.push({
        subject: `${subjectOf(workload, container)} env names`,
        errors: unknown.map((name) => `${name} is not listed in k8s/validate/known-env.txt`),
      });
    }
  }
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')) {
    const keys = [...Object.keys(cm.data ?? {}), ...Object.keys(cm.stringData ?? {})];
    const unknown = keys.filter((k) => k.startsWith('RELAY_') && !knownEnv.has(k));
    checks.push({
      subject: `${describe(cm)} keys`,
      errors: unknown.map((name) => `${name} is not listed in k8s/validate/known-env.txt`),
    });
  }
  return checks;
}

/** App containers: liveness and startup probe GET /healthz, readiness GET /readyz, on the admin, HTTP or health port. */
export function probesUseHealthEndpoints(objects) {
  return appContainers(objects).map(({ workload, container, env }) => {
    const errors = [];
    const probePort = env.get('RELAY_ADMIN_PORT')?.value ?? env.get('RELAY_HTTP_PORT')?.value
      ?? env.get('RELAY_HEALTH_PORT')?.value;
    const expect = { livenessProbe: HEALTH_PATH, readinessProbe: READY_PATH, startupProbe: HEALTH_PATH };
    for (const [probeName, path] of Object.entries(expect)) {
      const probe = container[probeName];
      if (!probe) {
        if (probeName !== 'startupProbe') errors.push(`${probeName} is missing`);
        continue;
      }
      if (!probe.httpGet) { errors.push(`${probeName} must be an httpGet probe`); continue; }
      if (probe.httpGet.path !== path) errors.push(`${probeName} path is ${probe.httpGet.path}, expected ${path}`);
      const port = resolveContainerPort([container], probe.httpGet.port);
      if (!port) errors.push(`${probeName} port ${probe.httpGet.port} is not a container port`);
      else if (String(port.containerPort) !== probePort) {
        errors.push(`${probeName} targets port ${port.containerPort}, but the HTTP/health port is ${probePort}`);
      }
    }
    return { subject: `${subjectOf(workload, container)} probes`, errors };
  });
}

/** Each port variable set equals the container port of the matching name, and each such named port has its variable. */
export function portsMatchEnv(objects) {
  return appContainers(objects).map(({ workload, container, env }) => {
    const errors = [];
    const role = env.get('RELAY_ROLE')?.value;
    const serves = role === 'gateway' || role === 'all';
    if (serves && !env.has('RELAY_HTTP_PORT')) errors.push(`role ${role} must define RELAY_HTTP_PORT`);
    if (!serves && !env.has('RELAY_HEALTH_PORT') && !env.has('RELAY_ADMIN_PORT')) {
      errors.push(`role ${role} must define RELAY_ADMIN_PORT (or RELAY_HEALTH_PORT) for its probes`);
    }
    if (env.has('RELAY_CLUSTER_KUBERNETES_SERVICE')) {
      for (const name of ['RELAY_CLUSTER_PORT', 'RELAY_EVENTBUS_PORT']) {
        if (!env.has(name)) errors.push(`a clustered member must define ${name}`);
      }
    }
    for (const [variable, portName] of Object.entries(PORT_VARIABLES)) {
      const port = resolveContainerPort([container], portName);
      const value = env.get(variable)?.value;
      if (value === undefined && port) errors.push(`container port ${portName} exists but ${variable} is not set`);
      if (value !== undefined && !port) errors.push(`${variable}=${value} but no container port is named ${portName}`);
      if (value !== undefined && port && String(port.containerPort) !== value) {
        errors.push(`${variable}=${value} but container port ${portName} is ${port.containerPort}`);
      }
    }
    return { subject: `${subjectOf(workload, container)} ports`, errors };
  });
}

/** Clustered members advertise their pod IP (downward API), never a literal address. */
export function clusterHostIsPodIp(objects) {
  return appContainers(objects)
    .filter(({ env }) => env.has('RELAY_CLUSTER_KUBERNETES_SERVICE'))
    .map(({ workload, container, env }) => {
      const host = env.get('RELAY_CLUSTER_HOST');
      const ok = host?.fieldPath === 'status.podIP';
      return {
        subject: `${subjectOf(workload, container)} cluster host`,
        errors: ok ? [] : ['RELAY_CLUSTER_HOST must come from fieldRef status.podIP'],
      };
    });
}

/** The discovery Service exists, is headless, publishes not-ready pods, selects every member, exposes the ports. */
export function clusterServiceIsConsistent(objects) {
  return appContainers(objects)
    .filter(({ env }) => env.has('RELAY_CLUSTER_KUBERNETES_SERVICE'))
    .map(({ workload, container, env }) => {
      const errors = [];
      const name = env.get('RELAY_CLUSTER_KUBERNETES_SERVICE').value;
      const svc = findObject(objects, 'Service', name);
      if (!svc) return { subject: `${subjectOf(workload, container)} discovery`, errors: [`Service ${name} not found`] };
      if (svc.spec?.clusterIP !== 'None') errors.push(`Service ${name} must be headless (clusterIP: None)`);
      if (svc.spec?.publishNotReadyAddresses !== true) errors.push(`Service ${name} must set publishNotReadyAddresses: true`);
      if (!selectorMatches(svc.spec?.selector, podLabelsOf(workload))) errors.push(`Service ${name} does not select ${describe(workload)}`);
      for (const variable of ['RELAY_CLUSTER_PORT', 'RELAY_EVENTBUS_PORT']) {
        const value = env.get(variable)?.value;
        const exposed = (svc.spec?.ports ?? []).some((p) => String(p.port) === value
          && String(resolveContainerPort([container], p.targetPort ?? p.port)?.containerPort) === value);
        if (value !== undefined && !exposed) errors.push(`Service ${name} does not expose ${variable}=${value} on the same target port`);
      }
      return { subject: `${subjectOf(workload, container)} discovery`, errors };
    });
}

/** Services select at least one workload and every targetPort exists on each selected pod. */
export function servicesResolve(objects) {
  return objects.filter((o) => o.kind === 'Service').map((svc) => {
    const errors = [];
    const selected = workloads(objects).filter((w) => selectorMatches(svc.spec?.selector, podLabelsOf(w)));
    if (selected.length === 0) errors.push('selects no workload');
    for (const w of selected) {
      for (const p of svc.spec?.ports ?? []) {
        if (!resolveContainerPort(podSpecOf(w).containers ?? [], p.targetPort ?? p.port)) {
          errors.push(`targetPort ${p.targetPort ?? p.port} is not a container port of ${describe(w)}`);
        }
      }
    }
    return { subject: `${describe(svc)} endpoints`, errors };
  });
}

/** Every named ConfigMap, Secret, ServiceAccount and scale target exists (optional references excepted). */
export function referencesResolve(objects, { operatorSecrets = new Set() } = {}) {
  const checks = [];
  const need = (errors, kind, name, key, optional) => {
    if (optional) return;
    // Created by the operator before `kubectl apply -k` (k8s/README.md); never rendered.
    if (kind === 'Secret' && operatorSecrets.has(name) && !findObject(objects, kind, name)) return;
    const target = findObject(objects, kind, name);
    if (!target) { errors.push(`${kind} ${name} not found`); return; }
    if (key !== undefined) {
      const keys = [...Object.keys(target.data ?? {}), ...Object.keys(target.stringData ?? {})];
      if (!keys.includes(key)) errors.push(`${kind} ${name} has no key ${key}`);
    }
  };
  for (const w of workloads(objects)) {
    const errors = [];
    const spec = podSpecOf(w);
    if (spec.serviceAccountName) need(errors, 'ServiceAccount', spec.serviceAccountName);
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const s of c.envFrom ?? []) {
        if (s.configMapRef) need(errors, 'ConfigMap', s.configMapRef.name, undefined, s.configMapRef.optional);
        if (s.secretRef) need(errors, 'Secret', s.secretRef.name, undefined, s.secretRef.optional);
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm) need(errors, 'ConfigMap', cm.name, cm.key, cm.optional);
        if (sk) need(errors, 'Secret', sk.name, sk.key, sk.optional);
      }
      const claimNames = (w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name);
      const volumeNames = new Set([...(spec.volumes ?? []).map((v) => v.name), ...claimNames]);
      for (const m of c.volumeMounts ?? []) {
        if (!volumeNames.has(m.name)) errors.push(`container ${c.name} mounts undeclared volume ${m.name}`);
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.secret) need(errors, 'Secret', v.secret.secretName, undefined, v.secret.optional);
      if (v.configMap) need(errors, 'ConfigMap', v.configMap.name, undefined, v.configMap.optional);
    }
    checks.push({ subject: `${describe(w)} references`, errors });
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const target = findObject(objects, ref.kind, ref.name);
    const errors = target ? [] : [`scale target ${ref.kind}/${ref.name} not found`];
    if (target) {
      const needsRequest = (hpa.spec?.metrics ?? []).some((m) => m.resource?.name === 'cpu');
      const missing = (podSpecOf(target).containers ?? []).filter((c) => !c.resources?.requests?.cpu);
      if (needsRequest && missing.length > 0) errors.push(`CPU target but ${missing.map((c) => c.name).join(', ')} has no CPU request`);
    }
    checks.push({ subject: `${describe(hpa)} target`, errors });
  }
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const hit = workloads(objects).some((w) => selectorMatches(pdb.spec?.selector, podLabelsOf(w)));
    checks.push({ subject: `${describe(pdb)} selector`, errors: hit ? [] : ['selects no workload'] });
  }
  for (const rb of objects.filter((o) => o.kind === 'RoleBinding')) {
    const errors = [];
    need(errors, rb.roleRef?.kind, rb.roleRef?.name);
    for (const s of rb.subjects ?? []) if (s.kind === 'ServiceAccount') need(errors, 'ServiceAccount', s.name);
    checks.push({ subject: `${describe(rb)} references`, errors });
  }
  return checks;
}

/** Hazelcast discovery can read what it needs: get/list/watch endpoints, endpointslices, pods, services. */
export function discoveryRbacIsGranted(objects) {
  const members = appContainers(objects).filter(({ env }) => env.has('RELAY_CLUSTER_KUBERNETES_SERVICE'));
  const accounts = new Set(members.map(({ workload }) => podSpecOf(workload).serviceAccountName ?? 'default'));
  return [...accounts].map((account) => {
    const rules = objects
      .filter((o) => o.kind === 'RoleBinding' && (o.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === account))
      .map((rb) => findObject(objects, rb.roleRef?.kind, rb.roleRef?.name))
      .flatMap((role) => role?.rules ?? []);
    const errors = [];
    const wanted = [['', 'endpoints'], ['', 'pods'], ['', 'services'], ['discovery.k8s.io', 'endpointslices']];
    for (const [group, resource] of wanted) {
      for (const verb of ['get', 'list', 'watch']) {
        const granted = rules.some((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource)
          && (r.verbs ?? []).includes(verb));
        if (!granted) errors.push(`no ${verb} on ${group ? group + '/' : ''}${resource}`);
      }
    }
    return { subject: `ServiceAccount/${account} discovery RBAC`, errors };
  });
}

export function roleOf(workload, objects) {
  return appContainers(objects).find((c) => c.workload === workload)?.env.get('RELAY_ROLE')?.value;
}

export function preStopSleepSeconds(container) {
  const command = container.lifecycle?.preStop?.exec?.command ?? [];
  const native = container.lifecycle?.preStop?.sleep?.seconds;
  if (native !== undefined) return native;
  return command[0] === 'sleep' ? Number(command[1]) : undefined;
}

/** The consistency rules, in report order (check-objects.mjs adds the operations and security rules). */
export const RULES = [
  envNamesAreKnown,
  probesUseHealthEndpoints,
  portsMatchEnv,
  clusterHostIsPodIp,
  clusterServiceIsConsistent,
  servicesResolve,
  referencesResolve,
  discoveryRbacIsGranted,
];
