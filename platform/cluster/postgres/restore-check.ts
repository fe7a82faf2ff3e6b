/**
 * The weekly backup verification: a CronJob runs restore-check.sh (one copy, read at synth time into a
 * ConfigMap) with kubectl, under a ServiceAccount that may only manage Clusters, read pods and exec into
 * them. It creates a throwaway single-instance Cluster bootstrapped from the object store (the newest base
 * backup plus every archived WAL segment, the same path as point-in-time recovery), checks it answers a
 * query only a real copy of the database can answer, and deletes it; a failed run prints the Cluster's
 * status and its instance's log and keeps it until the next run. Success is the metric: kube-state-
 * metrics' `kube_cronjob_status_last_successful_time`, which alerts/components/postgres.ts alerts on.
 */
import { readFileSync } from 'node:fs';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BackupConfig, ImageRef, PostgresConfig } from '../../../stacks/types.js';
import { Cluster } from '../../imports/cnpg-postgresql.cnpg.io.js';
import {
  API_ACCESS_ANNOTATION,
  defaultEmptyDirSizeLimit,
  imagePullPolicy,
  priorityClassName,
  tierOfKind,
} from '../../k8s/hygiene.js';
import { commonLabels, componentLabels, componentSelector, type StackIdentity } from '../../k8s/labels.js';
import { l1Resources } from '../../k8s/resources.js';
import { l1RestrictedContainer, l1RestrictedPod } from '../../k8s/security.js';
import { toYaml } from '../../render/yaml.js';
import { clusterResources, objectStoreSource, placement } from './cluster.js';

export const restoreCheckScript = readFileSync(new URL('./restore-check.sh', import.meta.url), 'utf8');

export const RESTORE_CHECK = 'postgres-restore-check';
/** The throwaway Cluster's name (its one instance is pod `<name>-1`). */
export const CHECK_CLUSTER = 'postgres-restore-check';
/** True only on a copy holding the schema's migrations and a catalog: an empty or half-restored database answers f. */
export const CHECK_SQL = 'SELECT (SELECT count(*) FROM schema_migrations) > 0 AND (SELECT count(*) FROM products) > 0';
const UID = 65534; // nobody: kubectl needs no identity of its own in the image
const CONFIG_DIR = '/config';

export interface PostgresRestoreCheckProps {
  /** The stack's name and namespace: labels, the priority class, where kubectl works. */
  readonly stack: StackIdentity;
  /** The live Cluster whose archive is restored. */
  readonly cluster: string;
  /** The ObjectStore holding that archive. */
  readonly objectStore: string;
  /** The database (and its owner) the throwaway Cluster recovers and the check queries. */
  readonly database: Pick<PostgresConfig, 'database' | 'owner'>;
  /** The CloudNativePG operand the throwaway Cluster runs (the live Cluster's). */
  readonly postgresImage: ImageRef;
  /** kubectl and a shell: the CronJob's image. */
  readonly kubectlImage: ImageRef;
  /** When it runs, how long it may take, the throwaway Cluster's sizing. */
  readonly verification: BackupConfig['verification'];
  /**
   * The StorageClass of the throwaway Cluster's volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string | undefined;
}

/** The throwaway Cluster as a plain manifest (validated against the CRD like every rendered object). */
export function restoreCheckCluster(props: PostgresRestoreCheckProps): object {
  const { stack, verification: v } = props;
  const SOURCE = 'origin';
  return Cluster.manifest({
    // Not the stack's `app.kubernetes.io/instance` label: Argo CD tracks (and prunes) by it, and this Cluster
    // is created by the Job, not by Git.
    metadata: { name: CHECK_CLUSTER, namespace: stack.namespace, labels: componentSelector(RESTORE_CHECK) },
    spec: {
      instances: 1,
      imageName: props.postgresImage,
      // Its pods run under the instances' network policy (operator, object store, API server), nothing more:
      // that policy selects every Cluster's pods by cnpg.io/cluster (postgres/operator-contract.ts).
      bootstrap: {
        recovery: { source: SOURCE, database: props.database.database, owner: props.database.owner },
      },
      // Reads the live Cluster's archive; it has no `plugins`, so it never archives (or overwrites) anything.
      externalClusters: [objectStoreSource(SOURCE, props.objectStore, props.cluster)],
      enableSuperuserAccess: false,
      enablePdb: false,
      storage: {
        size: `${v.storageGiB}Gi`,
        ...(props.storageClass ? { storageClass: props.storageClass } : {}),
      },
      resources: clusterResources(v.resources),
      ...placement(CHECK_CLUSTER, 'preferred'),
    },
  });
}

export class PostgresRestoreCheck extends Construct {
  constructor(scope: Construct, id: string, props: PostgresRestoreCheckProps) {
    super(scope, id);
    const { stack, verification: v } = props;
    const labels = componentLabels(stack, RESTORE_CHECK);
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: RESTORE_CHECK, labels: commonLabels(stack) },
      data: {
        'restore-check.sh': restoreCheckScript,
        'cluster.yaml': toYaml(restoreCheckCluster(props)),
      },
    });
    new kplus.k8s.KubeServiceAccount(this, 'account', {
      metadata: {
        name: RESTORE_CHECK,
        labels,
        annotations: {
          [API_ACCESS_ANNOTATION]:
            'kubectl creates a throwaway Cluster from the newest backup, execs a query in its pod and deletes it',
        },
      },
      automountServiceAccountToken: false,
    });
    new kplus.k8s.KubeRole(this, 'role', {
      metadata: { name: RESTORE_CHECK, labels },
      rules: [
        // create cannot be narrowed by name; everything else only touches the throwaway Cluster.
        { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['create'] },
        {
          apiGroups: ['postgresql.cnpg.io'],
          resources: ['clusters'],
          resourceNames: [CHECK_CLUSTER],
          verbs: ['get', 'list', 'watch', 'patch', 'delete'],
        },
        { apiGroups: [''], resources: ['pods'], resourceNames: [`${CHECK_CLUSTER}-1`], verbs: ['get'] },
        // On failure the Job prints the instance's log (restore-check.sh `fail`).
        { apiGroups: [''], resources: ['pods/log'], resourceNames: [`${CHECK_CLUSTER}-1`], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods/exec'], resourceNames: [`${CHECK_CLUSTER}-1`], verbs: ['create'] },
      ],
    });
    new kplus.k8s.KubeRoleBinding(this, 'binding', {
      metadata: { name: RESTORE_CHECK, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: RESTORE_CHECK },
      subjects: [{ kind: 'ServiceAccount', name: RESTORE_CHECK, namespace: stack.namespace }],
    });
    const timeoutSeconds = v.timeoutMinutes * 60;
    new kplus.k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name: RESTORE_CHECK, labels },
      spec: {
        schedule: v.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 2,
        failedJobsHistoryLimit: 2,
        jobTemplate: {
          metadata: { labels },
          spec: {
            // A failed restore is news, not something to retry quietly.
            backoffLimit: 0,
            // Restore + check + removing the Cluster (up to 10 min) must finish, or the Job is failed.
            activeDeadlineSeconds: timeoutSeconds + 900,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                serviceAccountName: RESTORE_CHECK,
                // The one pod of the topology that talks to the API server: its token is mounted here only.
                automountServiceAccountToken: true,
                priorityClassName: priorityClassName(stack, tierOfKind.CronJob!),
                securityContext: l1RestrictedPod(UID),
                containers: [
                  {
                    name: 'restore-check',
                    image: props.kubectlImage,
                    imagePullPolicy,
                    securityContext: l1RestrictedContainer,
                    command: ['sh', `${CONFIG_DIR}/restore-check.sh`],
                    env: [
                      { name: 'NAMESPACE', value: stack.namespace },
                      { name: 'CHECK_CLUSTER', value: CHECK_CLUSTER },
                      { name: 'DATABASE', value: props.database.database },
                      { name: 'CHECK_SQL', value: CHECK_SQL },
                      { name: 'TIMEOUT_SECONDS', value: String(timeoutSeconds) },
                      { name: 'MANIFEST', value: `${CONFIG_DIR}/cluster.yaml` },
                      // kubectl keeps its discovery cache under $HOME.
                      { name: 'HOME', value: '/tmp' },
                    ],
                    resources: l1Resources({
                      cpuMillis: { request: 10, limit: 200 },
                      memoryMiB: { request: 32, limit: 128 },
                    }),
                    volumeMounts: [
                      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'config', configMap: { name: config.name, defaultMode: 0o444 } },
                  { name: 'tmp', emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString(defaultEmptyDirSizeLimit) } },
                ],
              },
            },
          },
        },
      },
    });
  }
}
