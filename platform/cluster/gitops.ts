/**
 * The Argo CD side of a stack: its own AppProject and the Application that syncs deploy/<stack>/ (the
 * committed synth output) into the namespace. Both are derived from the rendered topology, so what the
 * project allows and what Argo CD ignores follow what the stack actually renders:
 *  - the AppProject allows one source repository, the destinations (namespaces) the objects go to, and
 *    exactly the kinds rendered (cluster-scoped and namespaced), so a change that starts writing another
 *    kind, or into another namespace, is refused by Argo CD until this code renders it;
 *  - `ignoreDifferences` names only fields an operator or controller writes and Git does not set.
 * Also the Argo CD settings the sync order relies on (`argocd-cm.yaml`).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { StackConfig } from '../../stacks/types.js';
import { commonLabels } from '../k8s/labels.js';
import type { KubeObject } from '../render/stack-objects.js';

export const ARGOCD_NAMESPACE = 'argocd';
export const IN_CLUSTER = 'https://kubernetes.default.svc';

export function stackFolder(stack: Pick<StackConfig, 'name'>): string {
  return `deploy/${stack.name}`;
}

/** The argocd-cm key of a resource's health check (Argo CD ≥ 2.x's split-key form of resource.customizations). */
export const CLUSTER_HEALTH_KEY = 'resource.customizations.health.postgresql.cnpg.io_Cluster';

/**
 * When a CloudNativePG Cluster counts as healthy, which gates the sync waves after it (sync-order.ts):
 * Healthy only once the operator sets the Ready condition; every other state is Progressing (the sync
 * waits: a first bootstrap, a recovery replaying WAL, a failover) except the two that need a person,
 * Degraded (the sync fails and says why). Written here rather than trusting the check an Argo CD
 * release may or may not ship, which also marks a switchover Degraded and so fails a sync that meets one.
 */
export const CLUSTER_HEALTH_LUA = `local hs = { status = "Progressing", message = "waiting for the operator to report on the Cluster" }
if obj.metadata.deletionTimestamp ~= nil then
  hs.message = "the Cluster is being deleted"
  return hs
end
if obj.status == nil then
  return hs
end
if obj.status.phase ~= nil then
  hs.message = obj.status.phase
end
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "True" then
      hs.status = "Healthy"
      return hs
    end
  end
end
if obj.status.phase == "Cluster is unrecoverable and needs manual intervention" or obj.status.phase == "Waiting for user action" then
  hs.status = "Degraded"
end
return hs
`;

export const projectName = (stack: Pick<StackConfig, 'name'>) => `hsc-jit-${stack.name}`;

interface GroupKind {
  group: string;
  kind: string;
}

const groupOf = (o: KubeObject) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '');
const isClusterScoped = (o: KubeObject) => o.metadata.namespace === undefined;

function kinds(objects: KubeObject[]): GroupKind[] {
  const unique = new Map(objects.map((o) => [`${groupOf(o)}/${o.kind}`, { group: groupOf(o), kind: o.kind }]));
  return [...unique.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, gk]) => gk);
}

/** What the project permits: derived from the rendered objects (platform/cluster/gitops.test.ts checks both ways). */
export function projectScope(stack: Pick<StackConfig, 'namespace' | 'gitops'>, objects: KubeObject[]) {
  const namespaces = new Set([stack.namespace, ...objects.flatMap((o) => o.metadata.namespace ?? [])]);
  return {
    sourceRepos: [stack.gitops.repoURL],
    destinations: [...namespaces].sort().map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: kinds(objects.filter(isClusterScoped)),
    namespaceResourceWhitelist: kinds(objects.filter((o) => !isClusterScoped(o))),
  };
}

type Ignore = { group: string; kind: string; name?: string; jsonPointers?: string[]; jqPathExpressions?: string[] };

const hasPointer = (object: unknown, pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      object,
    ) !== undefined;

/**
 * CloudNativePG's defaulting webhook (api/v1/cluster_defaults.go, `setDefaults`) fills these in when Git
 * leaves them out: logLevel, the liveness isolation check, the HA and synchronize-replicas slot settings,
 * initdb's encoding and locales, the anti-affinity type and the synchronous dataDurability.
 */
const CLUSTER_DEFAULTED = [
  '/spec/logLevel',
  '/spec/probes',
  '/spec/monitoring',
  '/spec/replicationSlots/highAvailability/slotPrefix',
  '/spec/replicationSlots/synchronizeReplicas',
  '/spec/bootstrap/initdb/encoding',
  '/spec/bootstrap/initdb/localeCollate',
  '/spec/bootstrap/initdb/localeCType',
  '/spec/affinity/podAntiAffinityType',
  '/spec/postgresql/synchronous/dataDurability',
];

const jqStrings = (values: string[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** The fields operators and controllers own in these objects, never a field Git sets. */
export function ignoredDifferences(objects: KubeObject[]): Ignore[] {
  const ignores: Ignore[] = [];
  for (const cluster of objects.filter((o) => o.apiVersion.startsWith('postgresql.cnpg.io/') && o.kind === 'Cluster')) {
    const spec = (cluster as { spec?: { postgresql?: { parameters?: object }; plugins?: Array<{ name: string }> } })
      .spec;
    const parameters = Object.keys(spec?.postgresql?.parameters ?? {}).sort();
    const plugins = (spec?.plugins ?? []).map((p) => p.name).sort();
    ignores.push({
      group: 'postgresql.cnpg.io',
      kind: 'Cluster',
      name: cluster.metadata.name,
      jsonPointers: CLUSTER_DEFAULTED.filter((p) => !hasPointer(cluster, p)),
      jqPathExpressions: [
        // setDefaults replaces spec.postgresql.parameters with the operator's sanitized set (its defaults added).
        `.spec.postgresql.parameters | .[keys[] | select(IN(${jqStrings(parameters)}) | not)]`,
        // setDefaultPlugins appends the plugins the operator is configured to include.
        `.spec.plugins[]? | select(.name | IN(${jqStrings(plugins)}) | not)`,
      ],
    });
  }
  // The HorizontalPodAutoscaler writes the replica count of its target; Git leaves it to the HPA.
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = (hpa as unknown as { spec: { scaleTargetRef: { apiVersion: string; kind: string; name: string } } })
      .spec.scaleTargetRef;
    const group = target.apiVersion.includes('/') ? target.apiVersion.split('/')[0]! : '';
    ignores.push({ group, kind: target.kind, name: target.name, jsonPointers: ['/spec/replicas'] });
  }
  return ignores;
}

export interface ArgoApplicationProps {
  /** The stack's name and namespace, and the Git repository and revision Argo CD syncs it from. */
  readonly stack: Pick<StackConfig, 'name' | 'namespace' | 'gitops'>;
  /** The stack's rendered topology: the project's scope and the ignored fields follow from it. */
  readonly objects: KubeObject[];
}

export class ArgoApplication extends Construct {
  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    const { stack, objects } = props;
    new ApiObject(this, 'project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: projectName(stack), namespace: ARGOCD_NAMESPACE, labels: commonLabels(stack) },
      spec: { description: `HSC-JIT ${stack.name}: deploy/${stack.name}/ only`, ...projectScope(stack, objects) },
    });
    new ApiObject(this, 'application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `hsc-jit-${stack.name}`, namespace: ARGOCD_NAMESPACE, labels: commonLabels(stack) },
      spec: {
        project: projectName(stack),
        // Top-level *.yaml only: prometheus/ and grafana/ hold plain files for other tools.
        source: {
          repoURL: stack.gitops.repoURL,
          targetRevision: stack.gitops.targetRevision,
          path: stackFolder(stack),
          directory: { recurse: false, include: '*.yaml' },
        },
        destination: { server: IN_CLUSTER, namespace: stack.namespace },
        ignoreDifferences: ignoredDifferences(objects),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          // Server-side apply: dashboard ConfigMaps exceed the client-side last-applied annotation limit.
          // RespectIgnoreDifferences: a sync leaves the ignored fields as the operator set them.
          // ApplyOutOfSyncOnly: a sync applies (and waits on the health of) only what changed, so a
          // rollback of the app images is not held behind an unchanged Cluster that is down.
          syncOptions: [
            'ServerSideApply=true',
            'PruneLast=true',
            'RespectIgnoreDifferences=true',
            'ApplyOutOfSyncOnly=true',
          ],
        },
      },
    });
  }
}

/**
 * The part of Argo CD's own `argocd-cm` this project needs, one file for every stack
 * (`deploy/argocd/argocd-cm.yaml`, written by platform/render/synth.ts): applied with
 * `kubectl apply --server-side --field-manager=hsc-jit -f deploy/argocd/argocd-cm.yaml`, which adds these
 * keys and leaves the rest of the ConfigMap (the installation's) alone.
 */
export function argoSettings() {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: ARGOCD_NAMESPACE,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: { [CLUSTER_HEALTH_KEY]: CLUSTER_HEALTH_LUA },
  };
}
