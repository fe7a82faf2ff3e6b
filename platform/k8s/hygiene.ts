/**
 * Workload hygiene, as kube-score and Polaris check it: the values every pod template states, and the
 * PriorityClasses they name. Each workload construct sets these where it builds its pod template, so the
 * construct shows everything it ships (cdk8s-plus where it can, the L1 fields otherwise); the validator
 * (validate/hygiene-rules.ts) refuses a template that lacks any of it. docs/adding-a-workload.md walks
 * through a new one.
 *  - imagePullPolicy IfNotPresent: every pin is `repo:tag@sha256:…` (platform/render/image-pins.ts), and a digest names
 *    one image forever, so a node never needs to ask the registry again. A pin still awaiting its first
 *    release (no digest) is refused by promotion, so staging and prod never run one.
 *  - a ServiceAccount of its own, with no API token mounted: nothing here calls the Kubernetes API, and
 *    a shared `default` account would give every pod whatever any one of them is ever granted.
 *  - ephemeral-storage requests and limits on every container (resources.ts adds them to every sizing), a
 *    sizeLimit on every emptyDir: a full /tmp or a log flood evicts its own pod instead of filling the
 *    node's disk under its neighbours.
 *  - a priorityClassName by tier: data (StatefulSets) above app (Deployments) above batch (Jobs,
 *    CronJobs; these never preempt), so under pressure the scheduler evicts a backup before a gateway
 *    and a gateway before the database it needs. The classes are cluster-scoped, so they are named per
 *    stack: two stacks on one cluster never write the same object.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StackConfig } from '../../stacks/types.js';
import { commonLabels } from './labels.js';

// biome-ignore lint/suspicious/noExplicitAny: plain Kubernetes JSON, as rendered
type Json = Record<string, any>;

/** Where each workload kind keeps its pod spec (the validator and the tests read rendered objects with it). */
export const podSpecOf: Readonly<Record<string, (object: Json) => Json | undefined>> = {
  Deployment: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
};

export const imagePullPolicy = 'IfNotPresent';

/** Per container: logs, plus the pod's emptyDirs, which count against the sum of its containers' limits. */
export const defaultEphemeralStorage = { requests: '64Mi', limits: '512Mi' } as const;
export const defaultEmptyDirSizeLimitMiB = 256;
export const defaultEmptyDirSizeLimit = `${defaultEmptyDirSizeLimitMiB}Mi`;

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

/** The stack's PriorityClass for a tier, which a pod template names in `priorityClassName`. */
export function priorityClassName(stack: Pick<StackConfig, 'name'>, tier: Tier): string {
  return `hsc-jit-${stack.name}-${tier}`;
}

export interface PriorityClassesProps {
  /** The classes are named after the stack (priorityClassName). */
  readonly stack: Pick<StackConfig, 'name'>;
}

/** The stack's three PriorityClasses (tierPriority), which every pod template names by its tier. */
export class PriorityClasses extends Construct {
  constructor(scope: Construct, id: string, props: PriorityClassesProps) {
    super(scope, id);
    for (const tier of Object.keys(tierPriority) as Tier[]) {
      const priorityClass = new kplus.k8s.KubePriorityClass(this, tier, {
        metadata: { name: priorityClassName(props.stack, tier), labels: commonLabels(props.stack) },
        value: tierPriority[tier],
        globalDefault: false,
        // Batch waits for room; it never evicts a running pod to get it.
        ...(tier === 'batch' ? { preemptionPolicy: 'Never' } : {}),
      });
      // Cluster-scoped: the chart's default namespace must not be stamped on it.
      ApiObject.of(priorityClass).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }
}
