/**
 * Workload hygiene, as kube-score and Polaris check it, applied to every pod template a chart renders,
 * whoever built it (Deployments, StatefulSets, Jobs, CronJobs), so a new workload gets it without asking;
 * the validator (validate/rules.ts) refuses a template that lacks any of it. What a builder set itself
 * (a larger emptyDir, its own storage sizing, a tier) is kept.
 *  - imagePullPolicy IfNotPresent: every pin is `repo:tag@sha256:…` (stacks/images.ts), and a digest names
 *    one image forever, so a node never needs to ask the registry again. A pin still awaiting its first
 *    release (no digest) is refused by promotion, so staging and prod never run one.
 *  - a ServiceAccount of its own, with no API token mounted: nothing here calls the Kubernetes API, and
 *    a shared `default` account would give every pod whatever any one of them is ever granted.
 *  - ephemeral-storage requests and limits on every container, a sizeLimit on every emptyDir: a full
 *    /tmp or a log flood evicts its own pod instead of filling the node's disk under its neighbours.
 *  - a priorityClassName by tier: data (StatefulSets) above app (Deployments) above batch (Jobs,
 *    CronJobs; these never preempt), so under pressure the scheduler evicts a backup before a gateway
 *    and a gateway before the database it needs. The classes are cluster-scoped, so they are named per
 *    stack: two stacks on one cluster never write the same object.
 */
import type { StackConfig } from '../stacks/types.js';
import { commonLabels } from './labels.js';

/** Where each workload kind keeps its pod spec. */
export const podSpecOf: Readonly<Record<string, (object: Json) => Json | undefined>> = {
  Deployment: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
};

export const imagePullPolicy = 'IfNotPresent';

/** Per container: logs, plus the pod's emptyDirs, which count against the sum of its containers' limits. */
export const defaultEphemeralStorage = { requests: '64Mi', limits: '512Mi' } as const;
export const defaultEmptyDirSizeLimit = '256Mi';

/** On a ServiceAccount: why its pods need a Kubernetes API token (without it, the token must stay unmounted). */
export const API_ACCESS_ANNOTATION = 'hsc-jit.halilit.example/api-access';

export type Tier = 'data' | 'app' | 'batch';
export const tierOfKind: Readonly<Record<string, Tier>> = {
  StatefulSet: 'data',
  // CloudNativePG's Cluster (its instance pods) and Pooler (the PgBouncers in front of it): the database path.
  Cluster: 'data',
  Pooler: 'data',
  Deployment: 'app',
  Job: 'batch',
  CronJob: 'batch',
};
/** Far below system-cluster-critical (2e9); the gaps leave room for other tenants' classes. */
export const tierPriority: Readonly<Record<Tier, number>> = { data: 300_000, app: 200_000, batch: 100_000 };

export function priorityClassName(stack: StackConfig, tier: Tier): string {
  return `hsc-jit-${stack.name}-${tier}`;
}

// biome-ignore lint/suspicious/noExplicitAny: plain Kubernetes JSON, as rendered
type Json = Record<string, any>;

function priorityClasses(stack: StackConfig): Json[] {
  return (Object.keys(tierPriority) as Tier[]).map((tier) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: priorityClassName(stack, tier), labels: commonLabels(stack) },
    value: tierPriority[tier],
    globalDefault: false,
    // Batch waits for room; it never evicts a running pod to get it.
    ...(tier === 'batch' ? { preemptionPolicy: 'Never' } : {}),
  }));
}

function harden(object: Json, spec: Json, stack: StackConfig): Json[] {
  const added: Json[] = [];
  // A builder that needs the API names its own account (and may mount its token); every other gets one.
  if (spec.serviceAccountName === undefined || spec.serviceAccountName === 'default') {
    added.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: object.metadata.name,
        ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
        labels: object.metadata.labels,
      },
      automountServiceAccountToken: false,
    });
    spec.serviceAccountName = object.metadata.name;
    spec.automountServiceAccountToken = false;
  }
  spec.priorityClassName ??= priorityClassName(stack, tierOfKind[object.kind]!);
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    container.imagePullPolicy = imagePullPolicy;
    if (!container.resources) continue;
    for (const kind of ['requests', 'limits'] as const) {
      container.resources[kind] ??= {};
      container.resources[kind]['ephemeral-storage'] ??= defaultEphemeralStorage[kind];
    }
  }
  for (const volume of spec.volumes ?? []) if (volume.emptyDir) volume.emptyDir.sizeLimit ??= defaultEmptyDirSizeLimit;
  return added;
}

/** The chart's objects with the hygiene applied (copies; the input is not changed), plus the ServiceAccounts and PriorityClasses it names. */
export function withWorkloadHygiene(objects: readonly Json[], stack: StackConfig): Json[] {
  const out = structuredClone(objects) as Json[];
  const added: Json[] = [];
  for (const object of out) {
    const spec = podSpecOf[object.kind]?.(object);
    if (spec) added.push(...harden(object, spec, stack));
  }
  return [...out, ...added, ...priorityClasses(stack)];
}
