/**
 * The order Argo CD syncs a stack in: sync waves (`argocd.argoproj.io/sync-wave`) by what an object is
 * for, so a first sync into an empty namespace completes. Argo CD applies one wave, waits until every
 * object of it is healthy (a Cluster by the health check rendered in platform/cluster/gitops.ts, a Job by its
 * completion), then applies the next; inside a wave it orders by kind. The Application syncs with
 * `ApplyOutOfSyncOnly=true`, so a wave whose objects did not change is not waited on: a rollback of the
 * app images applies the Deployments at once even while Postgres is down.
 *
 *   identity  (-3)  PriorityClasses, ServiceAccounts, RBAC, ConfigMaps, Secrets, NetworkPolicies, Services, PDBs, the ObjectStore
 *   data      (-2)  the Postgres Cluster(s) and Redis: healthy before anything that connects to them
 *   data-use  (-1)  the Pooler and the ScheduledBackup: they need a running Cluster
 *   release    (0)  the migration Job beside the Deployments (their pods refuse a schema older than theirs
 *                   and start once the Job has applied it)
 *   observe    (1)  HPA, Ingress, monitors, rules, the weekly restore check: nothing waits for them; their presence
 *                   keeps the release wave from being the last (Argo CD does not wait on the last wave's health)
 *
 * The Pulumi program orders the same objects by its own dependencies (pulumi/dependencies.ts) and ignores
 * the annotation. test/platform/sync-order.test.ts checks the result against a model of Argo CD's sync.
 */
import type { KubeObject } from '../render/stack-objects.js';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** On what holds data: neither a sync's prune nor deleting the Application removes it. */
export const KEEP_DATA_SYNC_OPTIONS = 'Prune=false,Delete=false';

export const syncWaves = { identity: -3, data: -2, dataUse: -1, release: 0, observe: 1 } as const;
export type SyncWave = keyof typeof syncWaves;

const waveOfKind: Readonly<Record<string, SyncWave>> = {
  Namespace: 'identity',
  PriorityClass: 'identity',
  ServiceAccount: 'identity',
  Role: 'identity',
  RoleBinding: 'identity',
  ConfigMap: 'identity',
  Secret: 'identity',
  NetworkPolicy: 'identity',
  Service: 'identity',
  PodDisruptionBudget: 'identity',
  ObjectStore: 'identity',
  Cluster: 'data',
  StatefulSet: 'data',
  Pooler: 'dataUse',
  ScheduledBackup: 'dataUse',
  Job: 'release',
  Deployment: 'release',
  // Argo CD's HPA and Ingress health wait on metrics and a load balancer address: nothing needs them first.
  HorizontalPodAutoscaler: 'observe',
  Ingress: 'observe',
  CronJob: 'observe',
  PodMonitor: 'observe',
  ServiceMonitor: 'observe',
  PrometheusRule: 'observe',
};

export function syncWaveOf(object: KubeObject): number {
  const wave = waveOfKind[object.kind];
  if (!wave)
    throw new Error(
      `${object.kind}/${object.metadata.name}: no sync wave for this kind (platform/cluster/sync-order.ts)`,
    );
  return syncWaves[wave];
}

type Annotated = KubeObject & { metadata: { annotations?: Record<string, string> } };

/** The objects (copies) with their sync wave annotated. */
export function withSyncWaves(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((object) => {
    const copy = structuredClone(object) as Annotated;
    copy.metadata.annotations = { ...copy.metadata.annotations, [SYNC_WAVE_ANNOTATION]: String(syncWaveOf(object)) };
    return copy;
  });
}
