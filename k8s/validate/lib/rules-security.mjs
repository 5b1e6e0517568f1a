// Security rules for production (issues 9 and 12): no credential ships with the manifests, Redis
// is bounded, authenticated and reachable by relays only, internal endpoints stay internal.
// Each rule returns checks { subject, errors: [] } like rules.mjs.
import {
  appContainers, appPodLabelSets, describe, findObject, podLabelsOf, podSpecOf, resolveContainerPort,
  selectorIsEmpty, selectorMatches, workloads,
} from './objects.mjs';
import { bytesOf } from './rules-operations.mjs';
import { roleOf, subjectOf } from './rules.mjs';

/** Ports reachable only from the app's pods; Redis only from relay pods (the only role that uses it). */
const APP_ONLY_PORTS = { 5701: null, 5702: null, 6379: 'relay' };

function policyAppliesToIngress(policy) {
  const types = policy.spec?.policyTypes ?? ['Ingress'];
  return types.includes('Ingress');
}

function ruleCoversPort(rule, port, container) {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if (p.port === undefined) return true;
    const number = typeof p.port === 'number' ? p.port : resolveContainerPort([container], p.port)?.containerPort;
    return number === port || (p.endPort !== undefined && number <= port && port <= p.endPort);
  });
}

/** The cluster ports (5701/5702) and Redis (6379) accept traffic only from pods of the app. */
export function protectedPortsAreIsolated(objects) {
  const appLabelSets = appPodLabelSets(objects);
  const appWorkloads = new Set(appContainers(objects).map(({ workload }) => workload));
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && policyAppliesToIngress(o));
  const checks = [];
  for (const w of workloads(objects)) {
    for (const container of podSpecOf(w).containers ?? []) {
      for (const port of (container.ports ?? []).map((p) => p.containerPort).filter((p) => p in APP_ONLY_PORTS)) {
        const onlyRole = APP_ONLY_PORTS[port];
        const errors = [];
        const selecting = policies.filter((p) => selectorMatches(p.spec?.podSelector ?? {}, podLabelsOf(w)));
        if (selecting.length === 0) errors.push('no NetworkPolicy isolates this pod');
        for (const policy of selecting) {
          for (const rule of policy.spec?.ingress ?? []) {
            if (!ruleCoversPort(rule, port, container)) continue;
            if (!rule.from || rule.from.length === 0) { errors.push(`${describe(policy)} allows port ${port} from anywhere`); continue; }
            for (const peer of rule.from) {
              if (peer.ipBlock || peer.namespaceSelector || !peer.podSelector) {
                errors.push(`${describe(policy)} allows port ${port} from outside the namespace's app pods`);
              } else if (selectorIsEmpty(peer.podSelector)) {
                errors.push(`${describe(policy)} allows port ${port} from every pod of the namespace`);
              } else if (!appLabelSets.some((labels) => selectorMatches(peer.podSelector, labels))) {
                errors.push(`${describe(policy)} allows port ${port} from pods that are not the app's`);
              } else {
                const strangers = workloads(objects).filter((other) => selectorMatches(peer.podSelector, podLabelsOf(other))
                  && (!appWorkloads.has(other) || (onlyRole && roleOf(other, objects) !== onlyRole)));
                for (const s of strangers) errors.push(`${describe(policy)} allows port ${port} from ${describe(s)}`);
              }
            }
          }
        }
        checks.push({ subject: `${subjectOf(w, container)} port ${port} isolation`, errors });
      }
    }
  }
  return checks;
}


/** Secrets referenced by the pods (env, envFrom, volumes) with the places that reference them. */
function secretReferences(objects) {
  const refs = new Map();
  const add = (name, where) => refs.set(name, [...(refs.get(name) ?? []), where]);
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const s of c.envFrom ?? []) if (s.secretRef) add(s.secretRef.name, describe(w));
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) add(e.valueFrom.secretKeyRef.name, describe(w));
    }
    for (const v of spec.volumes ?? []) if (v.secret) add(v.secret.secretName, describe(w));
  }
  return refs;
}

/**
 * No Secret is rendered: a value in git is either a usable credential for anyone who reads it or
 * a placeholder that `kubectl apply -k` would write over the operator's. Every Secret the pods
 * need is one the operator creates, listed in operator-secrets.txt and documented.
 */
export function noShippedSecrets(objects, { operatorSecrets = new Set() } = {}) {
  const checks = objects.filter((o) => o.kind === 'Secret').map((s) => ({
    subject: `${describe(s)} shipped`, errors: ['the manifests must not contain Secrets; the operator creates them (k8s/README.md)'],
  }));
  for (const [name, users] of secretReferences(objects)) {
    const errors = operatorSecrets.has(name) ? [] : [`used by ${users.join(', ')} but not listed in k8s/validate/operator-secrets.txt`];
    checks.push({ subject: `Secret/${name} operator-created`, errors });
  }
  return checks;
}

const redisContainers = (objects) => workloads(objects).flatMap((w) => (podSpecOf(w).containers ?? [])
  .filter((c) => /(^|\/)redis(:|@|$)/.test(c.image ?? '')).map((c) => ({ workload: w, container: c })));

function argValue(args, flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Redis has a memory bound below its container limit, a policy, and a password. */
export function redisBoundedAndAuthenticated(objects) {
  return redisContainers(objects).map(({ workload, container }) => {
    const errors = [];
    const args = [...(container.command ?? []), ...(container.args ?? [])].map(String);
    const maxmemory = bytesOf(argValue(args, '--maxmemory'));
    const limit = bytesOf(container.resources?.limits?.memory);
    if (!Number.isFinite(maxmemory)) errors.push('--maxmemory is not set: Redis would grow until the pod is OOM-killed');
    else if (!Number.isFinite(limit)) errors.push('resources.limits.memory is missing');
    else if (maxmemory > 0.8 * limit) errors.push(`--maxmemory ${argValue(args, '--maxmemory')} leaves under 20 % of the limit for AOF rewrites and buffers`);
    if (!argValue(args, '--maxmemory-policy')) errors.push('--maxmemory-policy is not set');
    const inits = podSpecOf(workload).initContainers ?? [];
    const configFromInit = args.some((a) => a.endsWith('.conf'))
      && inits.some((i) => [...(i.command ?? []), ...(i.args ?? [])].join(' ').includes('requirepass'));
    if (!args.includes('--requirepass') && !configFromInit) errors.push('no password: neither --requirepass nor a requirepass config file');
    const cliAuth = (container.env ?? []).find((e) => e.name === 'REDISCLI_AUTH');
    if (!cliAuth?.valueFrom?.secretKeyRef) errors.push('REDISCLI_AUTH must come from a Secret (the probes authenticate)');
    return { subject: `${subjectOf(workload, container)} bounds and auth`, errors };
  });
}

/** Only relays get RELAY_REDIS_URL (never a shared ConfigMap), and it carries a password. */
export function redisUrlOnlyForRelays(objects) {
  const checks = appContainers(objects).map(({ workload, container, env }) => {
    const errors = [];
    const url = env.get('RELAY_REDIS_URL');
    const role = env.get('RELAY_ROLE')?.value;
    if (url && role !== 'relay' && role !== 'all') errors.push(`a ${role} must not get RELAY_REDIS_URL`);
    if (url?.from) errors.push(`RELAY_REDIS_URL comes from ${url.from}, which every role reads`);
    if (url && url.value !== undefined && !/^rediss?:\/\/[^@/]*:[^@/]+@/.test(url.value)) errors.push('RELAY_REDIS_URL has no password');
    const host = /@([^:/]+)/.exec(url?.value ?? '')?.[1];
    // An in-namespace name (no dots) must be a rendered Service: a namePrefix does not rename it.
    if (host && !host.includes('.') && !findObject(objects, 'Service', host)) errors.push(`RELAY_REDIS_URL host ${host} is no Service here`);
    return { subject: `${subjectOf(workload, container)} Redis URL`, errors };
  });
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap' && 'RELAY_REDIS_URL' in (o.data ?? {}))) {
    checks.push({ subject: `${describe(cm)} Redis URL`, errors: ['RELAY_REDIS_URL must not be in a ConfigMap (it reaches every role)'] });
  }
  return checks;
}

/** Services in front of the gateway expose only its public port; no Service exposes an admin port. */
export function internalPortsStayInternal(objects) {
  const checks = appContainers(objects).filter(({ env }) => env.get('RELAY_ROLE')?.value === 'gateway')
    .map(({ workload, container, env }) => ({
      subject: `${subjectOf(workload, container)} admin port`,
      errors: env.has('RELAY_ADMIN_PORT') ? [] : ['RELAY_ADMIN_PORT must be set: /metrics and /admin would be on the public port'],
    }));
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const errors = [];
    for (const { workload, container, env } of appContainers(objects)) {
      if (!selectorMatches(svc.spec?.selector, podLabelsOf(workload))) continue;
      const admin = env.get('RELAY_ADMIN_PORT')?.value ?? env.get('RELAY_HEALTH_PORT')?.value;
      for (const p of svc.spec?.ports ?? []) {
        const target = resolveContainerPort([container], p.targetPort ?? p.port)?.containerPort;
        if (admin !== undefined && String(target) === admin) errors.push(`port ${p.name ?? p.port} exposes the admin port ${admin} of ${describe(workload)}`);
      }
    }
    checks.push({ subject: `${describe(svc)} internal ports`, errors });
  }
  return checks;
}

/** NetworkPolicies that open an admin port name who may connect: never every source. */
export function adminPortRestricted(objects) {
  const adminPorts = new Set(appContainers(objects).map(({ env }) => env.get('RELAY_ADMIN_PORT')?.value).filter(Boolean).map(Number));
  return objects.filter((o) => o.kind === 'NetworkPolicy').map((policy) => {
    const errors = [];
    for (const rule of policy.spec?.ingress ?? []) {
      const ports = (rule.ports ?? []).map((p) => p.port);
      const coversAdmin = ports.length === 0 || ports.some((p) => adminPorts.has(Number(p)) || p === 'admin');
      if (coversAdmin && (!rule.from || rule.from.length === 0)) errors.push('allows the admin port from anywhere');
    }
    return { subject: `${describe(policy)} admin port`, errors };
  });
}

/** A gateway that verifies public keys accepts no HS256 key next to them. */
export function hs256OffWithPublicKeys(objects) {
  return appContainers(objects).filter(({ env }) => env.has('RELAY_JWT_PUBLIC_KEYS')).map(({ workload, container, env }) => ({
    subject: `${subjectOf(workload, container)} JWT keys`,
    errors: env.has('RELAY_JWT_HS256_SECRET') ? ['RELAY_JWT_HS256_SECRET is set next to RELAY_JWT_PUBLIC_KEYS: HS256 must be off'] : [],
  }));
}

export const SECURITY_RULES = [
  protectedPortsAreIsolated,
  noShippedSecrets,
  redisBoundedAndAuthenticated,
  redisUrlOnlyForRelays,
  internalPortsStayInternal,
  adminPortRestricted,
  hs256OffWithPublicKeys,
];

