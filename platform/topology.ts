/**
 * The whole topology of one stack as one cdk8s Chart: namespace, data stores (Redis Sentinel; Postgres as a
 * CloudNativePG Cluster with its backups and restore check), gateway, workers, web and ingress, network
 * policies, monitoring. Constructs hand each other what they derive (the sentinel
 * addresses, the Services), so nothing is written twice.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { schemaVersion } from '../app/storage/migrate.js';
import type { StackConfig } from '../stacks/types.js';
import { Gateway } from './gateway.js';
import { withWorkloadHygiene } from './hygiene.js';
import { commonLabels, componentSelector } from './labels.js';
import { MigrationJob } from './migrations.js';
import { Monitoring, type Dashboard, type RuleGroup } from './monitoring.js';
import { NetworkPolicies } from './network-policies.js';
import { PostgresObjectStore, PostgresScheduledBackup } from './postgres/backups.js';
import { PostgresCluster, postgresClusters } from './postgres/cluster.js';
import { PostgresRestoreCheck } from './postgres/restore-check.js';
import { RedisSentinel } from './redis/redis-sentinel.js';
import type { KubeObject } from './stack-objects.js';
import { withSyncWaves } from './sync-order.js';
import { Web } from './web.js';
import { Workers } from './workers.js';

export interface TopologyProps {
  stack: StackConfig;
  ruleGroups: RuleGroup[];
  dashboards: Dashboard[];
  /** The schema version the release's migration Job applies; default: this checkout's newest migration. */
  schemaVersion?: string;
}

export class Topology extends Chart {
  readonly stack: StackConfig;
  readonly redis: RedisSentinel;
  readonly postgres: PostgresCluster;
  readonly gateway: Gateway;
  readonly workers: Workers;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: TopologyProps) {
    const { stack } = props;
    super(scope, id, { namespace: stack.namespace, disableResourceNameHashes: true });
    this.stack = stack;
    const namespace = new kplus.Namespace(this, 'namespace', {
      metadata: {
        name: stack.namespace,
        // Pod Security Admission enforces what the constructs already do: nothing but "restricted" pods.
        labels: {
          ...commonLabels(stack),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    // A Namespace is cluster-scoped; the chart's default namespace must not be stamped on it.
    ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.redis = new RedisSentinel(this, 'redis', { stack });
    const objectStore = new PostgresObjectStore(this, 'postgres-object-store', { stack });
    const clusters = postgresClusters(stack.postgres).map((plan) => {
      const cluster = new PostgresCluster(this, plan.recovery ? plan.name : 'postgres', {
        stack,
        plan,
        objectStore: objectStore.name,
      });
      // Every Cluster that archives gets its base backups: a recovered one starts its own history.
      new PostgresScheduledBackup(this, plan.recovery ? `${plan.name}-backup` : 'postgres-backup', {
        stack,
        cluster: cluster.name,
      });
      return { plan, cluster };
    });
    this.postgres = clusters.find((c) => c.plan.serving)!.cluster;
    new PostgresRestoreCheck(this, 'postgres-restore-check', {
      stack,
      cluster: this.postgres.name,
      objectStore: objectStore.name,
    });
    new MigrationJob(this, 'migrations', {
      stack,
      database: this.postgres.endpoints,
      schemaVersion: props.schemaVersion ?? schemaVersion(),
    });
    const stores = {
      sentinels: this.redis.sentinels,
      masterName: this.redis.masterName,
      database: this.postgres.endpoints,
    };
    this.gateway = new Gateway(this, 'gateway', { stack, stores });
    this.workers = new Workers(this, 'workers', { stack, stores });
    this.web = new Web(this, 'web', { stack, gateway: this.gateway.service });
    new NetworkPolicies(this, 'network', { stack });
    new Monitoring(this, 'monitoring', {
      stack,
      targets: [
        { service: 'gateway', selector: componentSelector('gateway'), port: 'internal' },
        { service: 'workers', selector: componentSelector('workers'), port: 'metrics' },
        { service: this.redis.headlessServiceName, selector: componentSelector('redis'), port: 'metrics' },
        // redis_exporter emits redis_sentinel_* only when it talks to a sentinel: a second exporter per pod does.
        {
          name: 'redis-sentinels',
          service: this.redis.headlessServiceName,
          selector: componentSelector('redis'),
          port: 'sentinel-metrics',
        },
      ],
      ruleGroups: props.ruleGroups,
      dashboards: props.dashboards,
    });
  }

  /** Every object, with the workload hygiene every pod template gets (hygiene.ts), whoever built it, and its sync wave. */
  // biome-ignore lint/suspicious/noExplicitAny: cdk8s' own signature
  override toJson(): any[] {
    return withSyncWaves(withWorkloadHygiene(super.toJson(), this.stack) as KubeObject[]);
  }
}
