/**
 * Postgres as a CloudNativePG Cluster: the operator runs the instances (primary + hot standbys), fails over
 * by itself, keeps its own PodDisruptionBudgets and the `<name>-rw` / `-ro` Services, and manages the app
 * role's password in the `<name>-app` Secret. This construct states what is ours: sizing, storage,
 * placement, Postgres parameters, synchronous replication, WAL archiving through the Barman Cloud Plugin,
 * monitoring, and (per stack) a PgBouncer Pooler in front of the primary and point-in-time recovery.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ImageRef, PostgresConfig, Resources } from '../../../stacks/types.js';
import {
  Cluster,
  type ClusterSpec,
  ClusterSpecPostgresqlSynchronousDataDurability,
  ClusterSpecPostgresqlSynchronousMethod,
  ClusterSpecPrimaryUpdateMethod,
  ClusterSpecPrimaryUpdateStrategy,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
} from '../../imports/cnpg-postgresql.cnpg.io.js';
import { Pooler, PoolerSpecPgbouncerPoolMode, PoolerSpecType } from '../../imports/cnpgpooler-postgresql.cnpg.io.js';
import { disruptionBudget } from '../../k8s/disruption-budget.js';
import { port } from '../graph.js';
import { imagePullPolicy, priorityClassName, tierOfKind } from '../../k8s/hygiene.js';
import { APP, commonLabels, componentLabels, serviceHost, type StackIdentity } from '../../k8s/labels.js';
import { KEEP_DATA_SYNC_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../sync-order.js';
import { cnpgLabel, select } from './operator-contract.js';
import { postgresParameters } from './parameters.js';

/** The Barman Cloud Plugin's name, as the Cluster, ScheduledBackup and recovery source refer to it. */
export const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** The label CloudNativePG puts on every pod of a Cluster, with the Cluster's name. */
export const CLUSTER_LABEL = cnpgLabel.cluster;

/** Where the app reaches Postgres, and the operator-managed Secret holding its password. */
export interface DatabaseEndpoints {
  /** The app's read-write URL: the Pooler when the stack has one, else `<cluster>-rw`. No password in it. */
  url: string;
  /** `<cluster>-rw` itself, for what a transaction-mode pooler cannot carry (session advisory locks, long DDL). */
  directUrl: string;
  /** `<cluster>-ro`: the hot standbys; none with a single instance (the Service would have no endpoints). */
  replicaUrl: string | undefined;
  /** The app role's password (`PGPASSWORD`), from the Secret the operator creates and rotates. */
  password: { secret: string; key: string };
  /** The CA that signs the instances' (and the Pooler's) server certificate, from the Secret the operator manages. */
  ca: { secret: string; key: string };
  statementTimeoutMs: number;
}

/** `<base>-pitr-<yyyymmddhhmm>` (UTC): a recovered Cluster is a new Cluster, named after its target. */
export function recoveredClusterName(base: string, targetTime: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(targetTime)) {
    throw new Error(
      `postgres.recovery.targetTime must be RFC 3339 with a zone (2026-11-29T14:05:00Z), got "${targetTime}"`,
    );
  }
  const utc = new Date(targetTime).toISOString();
  return `${base}-pitr-${utc.slice(0, 16).replace(/\D/g, '')}`;
}

/** One Cluster the stack renders: the live one, or one recovered from the archive; `serving`: the app uses it. */
export interface ClusterPlan {
  name: string;
  recovery: { from: string; targetTime: string } | undefined;
  serving: boolean;
}

/**
 * The Clusters a stack renders. Point-in-time recovery never replaces the live Cluster: the recovered one
 * is added beside it, the app is moved by changing the host it connects to, and the old one leaves Git
 * only at `retire` (and the cluster only by hand, since both carry Prune=false,Delete=false).
 */
export function postgresClusters(pg: PostgresConfig): ClusterPlan[] {
  if (!pg.recovery) return [{ name: pg.clusterName, recovery: undefined, serving: true }];
  const { from, targetTime, stage } = pg.recovery;
  const recovered = { name: recoveredClusterName(pg.clusterName, targetTime), recovery: { from, targetTime } };
  return [
    ...(stage === 'retire' ? [] : [{ name: pg.clusterName, recovery: undefined, serving: stage === 'restore' }]),
    { ...recovered, serving: stage !== 'restore' },
  ];
}

function check(stackName: string, pg: PostgresConfig): void {
  const problems: string[] = [];
  if (!Number.isInteger(pg.instances) || pg.instances < 1)
    problems.push(`instances must be 1 or more, got ${pg.instances}`);
  if (pg.synchronous && (pg.synchronous.number < 1 || pg.synchronous.number > pg.instances - 1))
    problems.push(`synchronous.number ${pg.synchronous.number} needs 1..${pg.instances - 1} standbys (instances − 1)`);
  else if (pg.synchronous?.dataDurability === 'required' && pg.synchronous.number > pg.instances - 2)
    problems.push(
      `synchronous.dataDurability "required" with number ${pg.synchronous.number} stops every write while one of the ${pg.instances - 1} standbys is down: add an instance`,
    );
  if (pg.pooler && pg.pooler.defaultPoolSize * pg.pooler.instances >= pg.parameters.max_connections)
    problems.push(
      `the pooler's ${pg.pooler.instances} × ${pg.pooler.defaultPoolSize} server connections do not fit max_connections ${pg.parameters.max_connections}`,
    );
  if (problems.length > 0) throw new Error(`stack "${stackName}": postgres: ${problems.join('; ')}`);
}

/** The stack's numeric Resources as a Cluster's `resources` (the instances and the restore check's throwaway one). */
export function clusterResources(r: Resources) {
  return {
    requests: {
      cpu: ClusterSpecResourcesRequests.fromString(`${r.cpuMillis.request}m`),
      memory: ClusterSpecResourcesRequests.fromString(`${r.memoryMiB.request}Mi`),
    },
    limits: {
      cpu: ClusterSpecResourcesLimits.fromString(`${r.cpuMillis.limit}m`),
      memory: ClusterSpecResourcesLimits.fromString(`${r.memoryMiB.limit}Mi`),
    },
  };
}

/**
 * Placement every Cluster of ours shares: one instance per node (hard), spread over zones, selecting the
 * instances by the labels the operator guarantees on them (`cnpg.io/cluster`, `cnpg.io/podRole`).
 * `preferred` still schedules on a single-zone cluster; `required` (prod) keeps a zone's loss to one instance.
 */
export function placement(
  name: string,
  zoneSpread: 'required' | 'preferred',
): Pick<ClusterSpec, 'affinity' | 'topologySpreadConstraints'> {
  return {
    affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: zoneSpread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: select.instances(name) },
      },
    ],
  };
}

/** A recovery source: the base backups and WAL another Cluster archived (server name `serverName`) in our object store. */
export function objectStoreSource(name: string, objectStore: string, serverName: string) {
  return { name, plugin: { name: BARMAN_PLUGIN, parameters: { barmanObjectName: objectStore, serverName } } };
}

export interface PostgresClusterProps {
  /** The stack's name and namespace: labels, the priority class, the Services' DNS names. */
  readonly stack: StackIdentity;
  /** Instances, sizing, replication, parameters, the Pooler, recovery. */
  readonly postgres: PostgresConfig;
  /** The CloudNativePG operand every instance runs. */
  readonly image: ImageRef;
  /**
   * The StorageClass of the data and WAL volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string | undefined;
  /** The `release` label kube-prometheus-stack's Prometheus selects PodMonitors by. */
  readonly monitoringRelease: string;
  /** Which Cluster this is: the live one or one recovered from the archive, and whether the app uses it. */
  readonly plan: ClusterPlan;
  /** The ObjectStore the plugin archives WAL and base backups to (and recovers from). */
  readonly objectStore: string;
}

export class PostgresCluster extends Construct {
  readonly name: string;
  readonly endpoints: DatabaseEndpoints;
  readonly pooler: string | undefined;
  private readonly poolerName: string;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const { stack, postgres: pg, storageClass } = props;
    check(stack.name, pg);
    const { recovery } = props.plan;
    this.name = props.plan.name;
    this.poolerName = `${this.name}-pooler-rw`;
    const postgresPort = port('postgres', 'postgres');
    const url = (host: string) => `postgresql://${pg.owner}@${serviceHost(stack, host)}:${postgresPort}/${pg.database}`;

    const SOURCE = 'origin';
    new Cluster(this, 'cluster', {
      metadata: {
        name: this.name,
        labels: componentLabels(stack, 'postgres'),
        // The Cluster holds the data (the operator deletes its PVCs with it): nothing in Git removes it.
        annotations: { [SYNC_OPTIONS_ANNOTATION]: KEEP_DATA_SYNC_OPTIONS },
      },
      spec: {
        instances: pg.instances,
        imageName: props.image,
        imagePullPolicy,
        priorityClassName: priorityClassName(stack, tierOfKind.Cluster!),
        // Only what the operator leaves alone: it writes app.kubernetes.io/{name,instance,component,…} on the
        // instances itself, so everything of ours selects them by cnpg.io labels (operator-contract.ts).
        inheritedMetadata: { labels: { 'app.kubernetes.io/part-of': APP } },
        postgresql: {
          parameters: postgresParameters(pg),
          ...(pg.synchronous
            ? {
                synchronous: {
                  method: ClusterSpecPostgresqlSynchronousMethod.ANY,
                  number: pg.synchronous.number,
                  dataDurability:
                    pg.synchronous.dataDurability === 'required'
                      ? ClusterSpecPostgresqlSynchronousDataDurability.REQUIRED
                      : ClusterSpecPostgresqlSynchronousDataDurability.PREFERRED,
                },
              }
            : {}),
        },
        bootstrap: recovery
          ? {
              recovery: {
                source: SOURCE,
                database: pg.database,
                owner: pg.owner,
                recoveryTarget: { targetTime: recovery.targetTime },
              },
            }
          : { initdb: { database: pg.database, owner: pg.owner, dataChecksums: true } },
        ...(recovery ? { externalClusters: [objectStoreSource(SOURCE, props.objectStore, recovery.from)] } : {}),
        // Nobody logs in as postgres over the network; the operator and `kubectl cnpg psql` use the local socket.
        enableSuperuserAccess: false,
        // The operator's CA signs a server certificate for the -rw/-ro/-r Services; PgBouncer presents the
        // same certificate, so the Pooler's names are added for the app's verify-full TLS through it.
        ...(pg.pooler
          ? {
              certificates: {
                serverAltDnsNames: [
                  this.poolerName,
                  `${this.poolerName}.${stack.namespace}`,
                  `${this.poolerName}.${stack.namespace}.svc`,
                  serviceHost(stack, this.poolerName),
                ],
              },
            }
          : {}),
        storage: { size: `${pg.storageGiB}Gi`, ...(storageClass ? { storageClass } : {}) },
        ...(pg.walStorageGiB
          ? {
              walStorage: {
                size: `${pg.walStorageGiB}Gi`,
                ...(storageClass ? { storageClass } : {}),
              },
            }
          : {}),
        resources: clusterResources(pg.resources),
        ...placement(this.name, pg.zoneSpread),
        // The operator's PDBs: the primary is never evicted (it switches over first), one standby at a time.
        // A single instance gets none, or every node drain would hang on it.
        enablePdb: pg.instances > 1,
        // Upgrades restart the standbys first, then switch over to one and restart the old primary.
        primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
        primaryUpdateMethod: ClusterSpecPrimaryUpdateMethod.SWITCHOVER,
        // A slot per standby on the primary (and kept on the standbys): WAL a standby still needs is never recycled.
        replicationSlots: { highAvailability: { enabled: true } },
        plugins: [{ name: BARMAN_PLUGIN, isWalArchiver: true, parameters: { barmanObjectName: props.objectStore } }],
      },
    });
    this.podMonitor(props, this.name, select.instances(this.name));

    // Only the Cluster the app uses gets a Pooler: a cutover moves the app to the other one's Pooler host.
    this.pooler = pg.pooler && props.plan.serving ? this.addPooler(props, pg.pooler) : undefined;
    this.endpoints = {
      url: url(this.pooler ?? `${this.name}-rw`),
      directUrl: url(`${this.name}-rw`),
      replicaUrl: pg.instances > 1 ? url(`${this.name}-ro`) : undefined,
      password: { secret: `${this.name}-app`, key: 'password' },
      ca: { secret: `${this.name}-ca`, key: 'ca.crt' },
      statementTimeoutMs: pg.statementTimeoutMs,
    };
  }

  private addPooler(props: PostgresClusterProps, pooler: NonNullable<PostgresConfig['pooler']>): string {
    const { stack } = props;
    const name = this.poolerName;
    new Pooler(this, 'pooler', {
      metadata: { name, labels: componentLabels(stack, 'postgres-pooler') },
      spec: {
        cluster: { name: this.name },
        instances: pooler.instances,
        type: PoolerSpecType.RW,
        pgbouncer: {
          poolMode: PoolerSpecPgbouncerPoolMode.TRANSACTION,
          parameters: {
            default_pool_size: String(pooler.defaultPoolSize),
            max_client_conn: String(pooler.maxClientConnections),
            // node-postgres sends statement_timeout as a startup parameter, which PgBouncer cannot carry
            // across a shared server connection; PgBouncer enforces the same bound itself instead.
            ignore_startup_parameters: 'statement_timeout',
            query_timeout: String(Math.ceil(props.postgres.statementTimeoutMs / 1000)),
          },
        },
        template: {
          // CloudNativePG ≥ 1.28 overwrites app.kubernetes.io/{name,instance,component,managed-by} on these pods.
          metadata: { labels: { 'app.kubernetes.io/part-of': APP } },
          spec: {
            containers: [],
            priorityClassName: priorityClassName(stack, tierOfKind.Pooler!),
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: 'kubernetes.io/hostname',
                      labelSelector: { matchLabels: select.pooler(name) },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    });
    // The operator gives a Pooler no PDB: without one a drain could take both PgBouncers at once.
    disruptionBudget(this, { name, labels: commonLabels(stack), selector: select.pooler(name) });
    this.podMonitor(props, name, select.pooler(name));
    return name;
  }

  /** CloudNativePG's `enablePodMonitor` is deprecated: the PodMonitor is ours, selecting the operator's pod labels. */
  private podMonitor(props: PostgresClusterProps, name: string, selector: Record<string, string>): void {
    new ApiObject(this, `podmonitor-${name}`, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name, labels: { ...commonLabels(props.stack), release: props.monitoringRelease } },
      spec: {
        selector: { matchLabels: selector },
        podMetricsEndpoints: [{ port: 'metrics', interval: '15s' }],
      },
    });
  }
}
