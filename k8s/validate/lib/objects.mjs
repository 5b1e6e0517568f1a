// Read helpers over rendered Kubernetes objects: workloads, pod templates, selectors, env, ports.

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export const describe = (o) => `${o.kind}/${o.metadata?.name ?? '?'}`;

export const workloads = (objects) => objects.filter((o) => WORKLOAD_KINDS.has(o.kind));

export const podSpecOf = (workload) => workload.spec?.template?.spec ?? {};

export const podLabelsOf = (workload) => workload.spec?.template?.metadata?.labels ?? {};

export const findObject = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

/** Label-selector semantics of matchLabels + matchExpressions; a plain map is treated as matchLabels. */
export function selectorMatches(selector, labels) {
  if (!selector) return false;
  const isStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = isStructured ? selector.matchLabels ?? {} : selector;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const expr of (isStructured ? selector.matchExpressions : null) ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In': if (!has || !values.includes(labels[expr.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[expr.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** True when a selector has no terms, i.e. it selects every pod. */
export function selectorIsEmpty(selector) {
  if (!selector) return true;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * The environment a container gets: envFrom sources first, then env entries (which win), as Kubernetes does.
 * Each entry: { value } for literals, { fieldPath } for downward API, { secret } / { configMap } for key refs.
 */
export function effectiveEnv(container, objects) {
  const env = new Map();
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const cm = findObject(objects, 'ConfigMap', source.configMapRef.name);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env.set(prefix + k, { value: String(v), from: describe(cm) });
    }
    if (source.secretRef) {
      const secret = findObject(objects, 'Secret', source.secretRef.name);
      const keys = [...Object.keys(secret?.data ?? {}), ...Object.keys(secret?.stringData ?? {})];
      for (const k of keys) env.set(prefix + k, { secret: source.secretRef.name, from: describe(secret) });
    }
  }
  for (const entry of container.env ?? []) {
    const from = entry.valueFrom;
    if (from?.fieldRef) env.set(entry.name, { fieldPath: from.fieldRef.fieldPath });
    else if (from?.secretKeyRef) env.set(entry.name, { secret: from.secretKeyRef.name, key: from.secretKeyRef.key });
    else if (from?.configMapKeyRef) {
      const cm = findObject(objects, 'ConfigMap', from.configMapKeyRef.name);
      env.set(entry.name, { value: cm?.data?.[from.configMapKeyRef.key], configMap: from.configMapKeyRef.name });
    } else if (from) env.set(entry.name, { other: true });
    else env.set(entry.name, { value: entry.value ?? '' });
  }
  return env;
}

/** Every environment variable name a container can see, with where it was declared. */
export function declaredEnvNames(container, objects) {
  return [...effectiveEnv(container, objects).keys()];
}

/** Resolves a port reference (number or container port name) against a container list. */
export function resolveContainerPort(containers, ref) {
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (typeof ref === 'number' ? p.containerPort === ref : p.name === ref) return p;
    }
  }
  return null;
}

/** The app containers: the ones that pick a chat-relay role through RELAY_ROLE. */
export function appContainers(objects) {
  const result = [];
  for (const workload of workloads(objects)) {
    for (const container of podSpecOf(workload).containers ?? []) {
      const env = effectiveEnv(container, objects);
      if (env.has('RELAY_ROLE')) result.push({ workload, container, env });
    }
  }
  return result;
}

/** Pod label sets of every workload whose pods run an app container. */
export function appPodLabelSets(objects) {
  const seen = new Set();
  const labelSets = [];
  for (const { workload } of appContainers(objects)) {
    if (seen.has(workload)) continue;
    seen.add(workload);
    labelSets.push(podLabelsOf(workload));
  }
  return labelSets;
}
