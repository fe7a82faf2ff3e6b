/**
 * What CloudNativePG v1.30.0 (the operator and CRDs vendored in platform/crds/) guarantees about the pods and
 * Services it runs for a Cluster or a Pooler: the one place the rest of the platform reads operator labels,
 * ports and Services from. Read from the operator's source at the v1.30.0 tag:
 *
 * - `pkg/utils/labels_annotations.go`: the label keys (`cnpg.io/cluster`, `cnpg.io/instanceName`,
 *   `cnpg.io/podRole`, `cnpg.io/instanceRole`, `cnpg.io/poolerName`, `cnpg.io/jobRole`) and the values
 *   `podRole: instance | pooler`, `app.kubernetes.io/name: postgresql`, `component: database | pooler`,
 *   `managed-by: cloudnative-pg`.
 * - `pkg/specs/pods.go` (instance pods): cluster, instanceName, podRole=instance and the app.kubernetes.io
 *   labels; `pkg/reconciler/instance/metadata.go` adds `cnpg.io/instanceRole: primary | replica`.
 * - `pkg/specs/jobs.go` (initdb, join, full-recovery… Jobs): cluster, instanceName, jobRole — no podRole.
 * - `pkg/specs/pgbouncer/deployments.go` (Pooler pods): poolerName, cluster, podRole=pooler, and
 *   `WithLabel` OVERWRITES `app.kubernetes.io/{name,instance,component,managed-by}` whatever the Pooler's
 *   template says (since 1.28): a selector on our own app.kubernetes.io labels matches no PgBouncer pod.
 * - `pkg/specs/services.go`: `<cluster>-rw` selects instanceRole=primary, `-ro` instanceRole=replica, `-r`
 *   podRole=instance; `pkg/specs/pgbouncer/services.go`: the Service `<pooler>` selects poolerName.
 * - Ports: `pkg/postgres/configuration.go` ServerPort 5432, `pkg/management/url/url.go` StatusPort 8000,
 *   PostgresMetricsPort 9187, PgBouncerMetricsPort 9127; `pkg/management/pgbouncer/config/config.go`
 *   PgBouncerPort 5432 named `pgbouncer`.
 *
 * Anything else on those pods (our inheritedMetadata, the Pooler template's labels) is not guaranteed:
 * the operator may overwrite it, so nothing of ours selects operator pods by it.
 */
export const CNPG_VERSION = '1.30.0';

export const cnpgLabel = {
  cluster: 'cnpg.io/cluster',
  instanceName: 'cnpg.io/instanceName',
  podRole: 'cnpg.io/podRole',
  instanceRole: 'cnpg.io/instanceRole',
  poolerName: 'cnpg.io/poolerName',
  jobRole: 'cnpg.io/jobRole',
} as const;

export const podRole = { instance: 'instance', pooler: 'pooler' } as const;
export const instanceRole = { primary: 'primary', replica: 'replica' } as const;

/** Labels the operator writes over the Pooler template's own (pkg/specs/pgbouncer/deployments.go). */
export const POOLER_OVERWRITTEN_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
  'app.kubernetes.io/managed-by',
] as const;

/** The operator's own labels on instance pods (pkg/specs/pods.go), which inheritedMetadata would contest. */
export const INSTANCE_OPERATOR_LABELS = [...POOLER_OVERWRITTEN_LABELS, 'app.kubernetes.io/version'] as const;

export const cnpgPorts = {
  instance: { postgresql: 5432, status: 8000, metrics: 9187 },
  pooler: { pgbouncer: 5432, metrics: 9127 },
} as const;

export type Selector = Record<string, string>;

/** The app.kubernetes.io labels the operator writes on every pod it runs for a Cluster (pods.go, jobs.go, deployments.go). */
function operatorAppLabels(cluster: string, component: 'database' | 'pooler'): Selector {
  return {
    'app.kubernetes.io/name': 'postgresql',
    'app.kubernetes.io/instance': cluster,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'cloudnative-pg',
  };
}

/** A pod's labels as the operator guarantees them; per-pod values (instance name, role) are given per pod. */
export function instancePodLabels(cluster: string, role: keyof typeof instanceRole): Selector {
  return {
    [cnpgLabel.cluster]: cluster,
    [cnpgLabel.podRole]: podRole.instance,
    [cnpgLabel.instanceRole]: instanceRole[role],
    ...operatorAppLabels(cluster, 'database'),
  };
}

/** The pods of an instance Job (initdb, join, full-recovery): they connect like instances, but carry no podRole. */
export function instanceJobPodLabels(cluster: string, jobRole: string): Selector {
  return { [cnpgLabel.cluster]: cluster, [cnpgLabel.jobRole]: jobRole, ...operatorAppLabels(cluster, 'database') };
}

export function poolerPodLabels(pooler: string, cluster: string): Selector {
  return {
    [cnpgLabel.poolerName]: pooler,
    [cnpgLabel.cluster]: cluster,
    [cnpgLabel.podRole]: podRole.pooler,
    ...operatorAppLabels(cluster, 'pooler'),
  };
}

/** Selectors for what we select: one Cluster's instances, one Pooler's pods. */
export const select = {
  instances: (cluster: string): Selector => ({ [cnpgLabel.cluster]: cluster, [cnpgLabel.podRole]: podRole.instance }),
  pooler: (pooler: string): Selector => ({ [cnpgLabel.poolerName]: pooler }),
};

/** Label selectors in the API's own form (NetworkPolicy peers, PDBs, monitors). */
export interface LabelSelector {
  matchLabels?: Selector;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/**
 * Every Cluster's instance pods and instance-Job pods in a namespace (a new standby's join Job streams from
 * the primary like an instance), never the PgBouncer pods, which carry `cnpg.io/cluster` too.
 */
export const anyInstance: LabelSelector = {
  matchExpressions: [
    { key: cnpgLabel.cluster, operator: 'Exists' },
    { key: cnpgLabel.podRole, operator: 'NotIn', values: [podRole.pooler] },
  ],
};

/** Every Pooler's pods in a namespace. */
export const anyPooler: LabelSelector = { matchLabels: { [cnpgLabel.podRole]: podRole.pooler } };

/** The Services the operator creates for a Cluster (pkg/specs/services.go), name → selector, all on 5432. */
export function clusterServices(cluster: string): Record<string, Selector> {
  return {
    [`${cluster}-rw`]: { [cnpgLabel.cluster]: cluster, [cnpgLabel.instanceRole]: instanceRole.primary },
    [`${cluster}-ro`]: { [cnpgLabel.cluster]: cluster, [cnpgLabel.instanceRole]: instanceRole.replica },
    [`${cluster}-r`]: { [cnpgLabel.cluster]: cluster, [cnpgLabel.podRole]: podRole.instance },
  };
}
