// Operating rules for production (issue 12): replica ownership, scaling pace, cluster membership,
// readiness hysteresis, grace periods, topology spread, labels, JVM memory and image pinning.
// Each rule returns checks { subject, errors: [] } like rules.mjs.
import {
  appContainers, describe, findObject, podLabelsOf, podSpecOf, selectorMatches, workloads,
} from './objects.mjs';
import { preStopSleepSeconds, subjectOf } from './rules.mjs';

const INSTANCE = 'app.kubernetes.io/instance';

const hpasOf = (objects) => objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
const targetOf = (hpa, objects) => findObject(objects, hpa.spec?.scaleTargetRef?.kind, hpa.spec?.scaleTargetRef?.name);
const roleOfWorkload = (workload, objects) => appContainers(objects)
  .find((c) => c.workload === workload)?.env.get('RELAY_ROLE')?.value;

/** A Deployment scaled by an HPA sets no replicas: every `kubectl apply -k` would reset the count. */
export function hpaOwnsReplicas(objects) {
  return hpasOf(objects).map((hpa) => {
    const target = targetOf(hpa, objects);
    const errors = target && target.spec?.replicas !== undefined
      ? [`${describe(target)} sets replicas: ${target.spec.replicas}, but ${describe(hpa)} owns the count`] : [];
    return { subject: `${describe(hpa)} replicas`, errors };
  });
}

function policyErrors(direction, rules, { minWindow, maxPods }) {
  const errors = [];
  if (!rules) return [`behavior.${direction} is missing`];
  if ((rules.stabilizationWindowSeconds ?? (direction === 'scaleUp' ? 0 : 300)) < minWindow) {
    errors.push(`behavior.${direction}.stabilizationWindowSeconds must be at least ${minWindow}`);
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errors.push(`behavior.${direction} has no policies`);
  for (const p of policies) {
    if (p.type !== 'Pods' || p.value > maxPods) errors.push(`behavior.${direction} policy ${p.type} ${p.value} moves more than ${maxPods} pod(s) per period`);
  }
  if (policies.length > 1 && rules.selectPolicy !== 'Min') errors.push(`behavior.${direction} with several policies needs selectPolicy: Min`);
  return errors;
}

/** Every HPA scales down one pod at a time; relays (each step moves shards) also scale up one at a time, slowly. */
export function hpaScalesGently(objects) {
  return hpasOf(objects).map((hpa) => {
    const target = targetOf(hpa, objects);
    const relay = target && roleOfWorkload(target, objects) === 'relay';
    const behavior = hpa.spec?.behavior ?? {};
    const errors = policyErrors('scaleDown', behavior.scaleDown, { minWindow: relay ? 300 : 120, maxPods: 1 });
    if (relay) errors.push(...policyErrors('scaleUp', behavior.scaleUp, { minWindow: 120, maxPods: 1 }));
    return { subject: `${describe(hpa)} behavior`, errors };
  });
}

/** Gateways and workers are Hazelcast lite members; relays hold the data; the cluster is named by the instance label. */
export function clusterMembership(objects) {
  return appContainers(objects)
    .filter(({ env }) => env.has('RELAY_CLUSTER_KUBERNETES_SERVICE'))
    .map(({ workload, container, env }) => {
      const errors = [];
      const role = env.get('RELAY_ROLE')?.value;
      const lite = env.get('RELAY_CLUSTER_LITE_MEMBER')?.value === 'true';
      if ((role === 'gateway' || role === 'worker') && !lite) errors.push(`a ${role} must set RELAY_CLUSTER_LITE_MEMBER=true (it holds no partitions)`);
      if ((role === 'relay' || role === 'all') && lite) errors.push(`a ${role} must be a data member (RELAY_CLUSTER_LITE_MEMBER not true)`);
      const name = env.get('RELAY_CLUSTER_NAME');
      if (name?.fieldPath !== `metadata.labels['${INSTANCE}']`) {
        errors.push(`RELAY_CLUSTER_NAME must come from fieldRef metadata.labels['${INSTANCE}']`);
      } else if (!podLabelsOf(workload)[INSTANCE]) {
        errors.push(`the pod template has no ${INSTANCE} label for RELAY_CLUSTER_NAME`);
      }
      return { subject: `${subjectOf(workload, container)} cluster membership`, errors };
    });
}

/** A relay handover must not take every gateway out of its Service: readiness tolerates short gaps. */
export function gatewayReadinessTolerant(objects) {
  return appContainers(objects)
    .filter(({ env }) => env.get('RELAY_ROLE')?.value === 'gateway')
    .map(({ workload, container, env }) => {
      const errors = [];
      const threshold = container.readinessProbe?.failureThreshold ?? 3;
      if (threshold < 2) errors.push(`readinessProbe.failureThreshold ${threshold}: one failed probe must not remove the pod`);
      const grace = env.get('RELAY_READY_SHARD_GRACE_MS')?.value;
      if (grace !== undefined && Number(grace) < 5000) errors.push(`RELAY_READY_SHARD_GRACE_MS ${grace} is shorter than a handover (>= 5000)`);
      return { subject: `${subjectOf(workload, container)} readiness`, errors };
    });
}

/** Code defaults the grace-period sum uses when a variable is not set (launcher Main / LauncherConfig). */
export const SHUTDOWN_DEFAULTS = { shutdownMs: 25_000, clusterLeaveS: 10, closeGraceS: 5 };

/**
 * The pod's grace period covers the whole graceful stop: preStop (runs before SIGTERM), the
 * bounded steps (RELAY_SHUTDOWN_TIMEOUT_MS, the gateway drain inside them), Hazelcast's partition
 * hand-off (RELAY_CLUSTER_SHUTDOWN_WAIT_SECONDS) and the close; a gateway pauses in preStop first.
 */
export function graceCoversShutdown(objects) {
  return appContainers(objects).map(({ workload, container, env }) => {
    const errors = [];
    const role = env.get('RELAY_ROLE')?.value;
    const pause = preStopSleepSeconds(container) ?? 0;
    const shutdownMs = Number(env.get('RELAY_SHUTDOWN_TIMEOUT_MS')?.value ?? SHUTDOWN_DEFAULTS.shutdownMs);
    const clustered = env.has('RELAY_CLUSTER_KUBERNETES_SERVICE') || env.has('RELAY_CLUSTER_MEMBERS');
    const leaveS = clustered ? Number(env.get('RELAY_CLUSTER_SHUTDOWN_WAIT_SECONDS')?.value ?? 600) : 0;
    const grace = podSpecOf(workload).terminationGracePeriodSeconds ?? 30;
    const needed = pause + shutdownMs / 1000 + leaveS + SHUTDOWN_DEFAULTS.closeGraceS;
    if (grace <= needed) {
      errors.push(`terminationGracePeriodSeconds ${grace} <= preStop ${pause} s + shutdown ${shutdownMs / 1000} s`
        + ` + cluster leave ${leaveS} s + close ${SHUTDOWN_DEFAULTS.closeGraceS} s`);
    }
    if (role === 'gateway') {
      const drainMs = Number(env.get('RELAY_DRAIN_GRACE_MS')?.value);
      if (!(pause > 0)) errors.push('preStop must pause (sleep) so endpoints are removed before the drain');
      if (!Number.isFinite(drainMs)) errors.push('RELAY_DRAIN_GRACE_MS must be set');
      else if (drainMs >= shutdownMs) errors.push(`RELAY_DRAIN_GRACE_MS ${drainMs} must be below RELAY_SHUTDOWN_TIMEOUT_MS ${shutdownMs}`);
    }
    return { subject: `${subjectOf(workload, container)} grace period`, errors };
  });
}

/** App workloads spread over zones and nodes, counting only their own pods. */
export function topologySpread(objects) {
  return [...new Set(appContainers(objects).map(({ workload }) => workload))].map((workload) => {
    const errors = [];
    const constraints = podSpecOf(workload).topologySpreadConstraints ?? [];
    for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']) {
      const c = constraints.find((x) => x.topologyKey === key);
      if (!c) { errors.push(`no topologySpreadConstraint on ${key}`); continue; }
      if (!selectorMatches(c.labelSelector, podLabelsOf(workload))) errors.push(`the ${key} constraint does not select the workload's own pods`);
      const others = workloads(objects).filter((w) => w !== workload && selectorMatches(c.labelSelector, podLabelsOf(w)));
      for (const o of others) errors.push(`the ${key} constraint also counts ${describe(o)}`);
    }
    return { subject: `${describe(workload)} topology spread`, errors };
  });
}

/** app.kubernetes.io labels on every object; workloads select by instance, so installs never mix. */
export function recommendedLabels(objects) {
  return objects.map((o) => {
    const errors = [];
    const labels = o.metadata?.labels ?? {};
    for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/part-of', INSTANCE]) {
      if (!labels[key]) errors.push(`label ${key} is missing`);
    }
    if (o.spec?.template) {
      const pod = podLabelsOf(o);
      for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/component', INSTANCE]) {
        if (!pod[key]) errors.push(`pod template label ${key} is missing`);
      }
      if (!o.spec?.selector?.matchLabels?.[INSTANCE]) errors.push(`selector does not include ${INSTANCE}`);
    }
    return { subject: `${describe(o)} labels`, errors };
  });
}

const MEMORY_UNITS = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9, '': 1 };

/** Bytes of a Kubernetes quantity (768Mi) or a JVM/Redis size (192m, 640mb); NaN when unreadable. */
export function bytesOf(text) {
  const k8s = /^(\d+)(Ki|Mi|Gi|k|M|G|)$/.exec(String(text));
  if (k8s) return Number(k8s[1]) * MEMORY_UNITS[k8s[2]];
  const jvm = /^(\d+)(k|kb|m|mb|g|gb)?$/i.exec(String(text));
  if (!jvm) return NaN;
  return Number(jvm[1]) * ({ k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(jvm[2] ?? '').charAt(0).toLowerCase()] ?? 1);
}

/** JVM heap (MaxRAMPercentage of the limit) plus bounded direct memory leave room below the container limit. */
export function jvmMemoryFits(objects) {
  return appContainers(objects).map(({ workload, container, env }) => {
    const errors = [];
    const options = env.get('JAVA_TOOL_OPTIONS')?.value ?? '';
    const limit = bytesOf(container.resources?.limits?.memory);
    const percent = Number(/-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)/.exec(options)?.[1]);
    const direct = bytesOf(/-XX:MaxDirectMemorySize=(\S+)/.exec(options)?.[1]);
    if (!Number.isFinite(limit)) errors.push('resources.limits.memory is missing');
    if (!Number.isFinite(percent)) errors.push('JAVA_TOOL_OPTIONS must size the heap with -XX:MaxRAMPercentage');
    if (!Number.isFinite(direct)) errors.push('JAVA_TOOL_OPTIONS must bound Netty direct memory with -XX:MaxDirectMemorySize');
    if (errors.length === 0 && (percent / 100) * limit + direct > 0.85 * limit) {
      errors.push(`heap ${percent} % + direct ${Math.round(direct / 2 ** 20)} MiB exceed 85 % of the ${Math.round(limit / 2 ** 20)} MiB limit (metaspace, threads and code need the rest)`);
    }
    return { subject: `${subjectOf(workload, container)} memory`, errors };
  });
}

/** Every image carries an exact version (x.y.z) or a digest: no latest, no floating major/minor tags. */
export function imagesPinned(objects) {
  return workloads(objects).map((w) => {
    const spec = podSpecOf(w);
    const errors = [];
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const image = c.image ?? '';
      const pinned = /@sha256:[0-9a-f]{64}$/.test(image) || /:v?\d+\.\d+\.\d+[\w.-]*$/.test(image.replace(/^[^/]*:\d+\//, ''));
      if (!pinned) errors.push(`container ${c.name} image ${image || '(none)'} is not pinned to x.y.z or a digest`);
    }
    return { subject: `${describe(w)} images`, errors };
  });
}

export const OPERATIONS_RULES = [
  hpaOwnsReplicas,
  hpaScalesGently,
  clusterMembership,
  gatewayReadinessTolerant,
  graceCoversShutdown,
  topologySpread,
  recommendedLabels,
  jvmMemoryFits,
  imagesPinned,
];
