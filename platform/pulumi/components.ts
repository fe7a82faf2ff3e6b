/**
 * The program's four ComponentResources, so `pulumi preview` and `pulumi stack` read by part:
 *  - prerequisites: the cluster-wide charts (cert-manager and its ClusterIssuer, ingress-nginx, the
 *    CloudNativePG operator and its Barman Cloud Plugin);
 *  - data: Postgres (the CloudNativePG and Barman Cloud objects, the restore check) and Redis Sentinel;
 *  - app: the namespace, the Secrets, the migration Job and every other object of the topology;
 *  - monitoring: kube-prometheus-stack, Loki and Alloy, and the topology's ServiceMonitors, PodMonitors,
 *    rules and dashboards.
 * Components only group: every ordering guarantee is an explicit `dependsOn` between resources
 * (dependencies.ts). Resources created before the split sat at the stack's root; their alias to that
 * place keeps their URNs' history, so moving them under a component replaces nothing.
 */
import * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../render/build-stack.js';
import { COMPONENT_LABEL } from '../k8s/labels.js';
import type { StackConfig } from '../../stacks/types.js';

export const TIERS = ['prerequisites', 'data', 'app', 'monitoring'] as const;
export type Tier = (typeof TIERS)[number];

/** The Pulumi type token of a tier's component: `hsc-jit:platform:Data`. */
export const tierType = (tier: Tier) => `hsc-jit:platform:${tier[0]!.toUpperCase()}${tier.slice(1)}`;

export class TierComponent extends pulumi.ComponentResource {
  constructor(readonly tier: Tier) {
    super(tierType(tier), tier, {}, {});
    this.registerOutputs({});
  }
}

export type Tiers = Record<Tier, TierComponent>;

export function createTiers(): Tiers {
  return Object.fromEntries(TIERS.map((tier) => [tier, new TierComponent(tier)])) as Tiers;
}

/** Options that put a resource that used to sit at the stack's root under `component`, keeping its identity. */
export function under(component: pulumi.Resource): pulumi.CustomResourceOptions {
  return { parent: component, aliases: [{ parent: pulumi.rootStackResource }] };
}

const MONITORING_API = 'monitoring.coreos.com/';
const DATABASE_APIS = ['postgresql.cnpg.io/', 'barmancloud.cnpg.io/'];
/** The topology's component labels whose objects belong to the data tier. */
const DATA_COMPONENTS = new Set(['redis', 'postgres', 'postgres-pooler', 'postgres-restore-check']);

/** Which tier a synthesized object belongs to (prerequisites come from charts, never from the topology). */
export function tierOf(object: KubeObject, stack: StackConfig): Exclude<Tier, 'prerequisites'> {
  if (object.apiVersion.startsWith(MONITORING_API) || object.metadata.namespace === stack.monitoring.namespace)
    return 'monitoring';
  if (DATABASE_APIS.some((api) => object.apiVersion.startsWith(api))) return 'data';
  const component = object.metadata.labels?.[COMPONENT_LABEL];
  if (component !== undefined && DATA_COMPONENTS.has(component)) return 'data';
  return 'app';
}
