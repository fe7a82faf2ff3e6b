/**
 * The whole topology of one stack as one cdk8s Chart: namespace, priority classes, data stores (Redis
 * Sentinel; Postgres as a CloudNativePG Cluster with its backups and restore check), gateway, workers, web
 * and ingress, network policies, monitoring. This chart is the one place that reads the whole StackConfig:
 * each construct gets only the pieces it uses, and constructs hand each other what they derive (the
 * sentinel addresses, the Services), so nothing is written twice.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { schemaVersion } from '../../app/adapters/storage/migrate.js';
import type { StackConfig } from '../../stacks/types.js';
import { gatewayEnv, migrateEnv, workersEnv } from '../workloads/app-env.js';
import { Gateway } from '../workloads/gateway.js';
import { dependencyGraph, stackComponents } from './graph.js';
import { PriorityClasses } from '../k8s/hygiene.js';
import { commonLabels, componentSelector } from '../k8s/labels.js';
import { MigrationJob } from '../workloads/migrations.js';
import { Monitoring, type Dashboard, type RuleGroup } from './monitoring.js';
import { NetworkPolicies } from './network-policies.js';
import { PostgresObjectStore, PostgresScheduledBackup } from './postgres/backups.js';
import { PostgresCluster, postgresClusters } from './postgres/cluster.js';
import { PostgresRestoreCheck } from './postgres/restore-check.js';
import { RedisSentinel } from './redis/redis-sentinel.js';
import type { KubeObject } from '../render/stack-objects.js';
import { withSyncWaves } from './sync-order.js';
import { Web } from '../workloads/web.js';
import { Workers } from '../workloads/workers.js';

export interface TopologyProps {
  readonly stack: StackConfig;
  /** The PrometheusRule's groups (alerts/index.ts `ruleGroups()` in a synth). */
  readonly ruleGroups: readonly RuleGroup[];
  /** One Grafana-sidecar ConfigMap each (dashboards/index.ts `dashboards()` in a synth). */
  readonly dashboards: readonly Dashboard[];
  /**
   * The schema version the release's migration Job applies.
   * @default - this checkout's newest migration (app/adapters/storage/migrate.ts `schemaVersion()`)
   */
  readonly schemaVersion?: string;
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
    // Every pod template names one of these by its tier (hygiene.ts).
    new PriorityClasses(this, 'priority-classes', { stack });
    const storageClass = stack.storageClass;
    this.redis = new RedisSentinel(this, 'redis', {
      stack,
      redis: stack.redis,
      image: stack.images.redis,
      exporterImage: stack.images.redisExporter,
      storageClass,
    });
    const objectStore = new PostgresObjectStore(this, 'postgres-object-store', { stack, backups: stack.backups });
    const clusters = postgresClusters(stack.postgres).map((plan) => {
      const cluster = new PostgresCluster(this, plan.recovery ? plan.name : 'postgres', {
        stack,
        postgres: stack.postgres,
        image: stack.images.postgres,
        storageClass,
        monitoringRelease: stack.monitoring.release,
        plan,
        objectStore: objectStore.name,
      });
      // Every Cluster that archives gets its base backups: a recovered one starts its own history.
      new PostgresScheduledBackup(this, plan.recovery ? `${plan.name}-backup` : 'postgres-backup', {
        stack,
        cluster: cluster.name,
        schedule: stack.backups.schedule,
      });
      return { plan, cluster };
    });
    this.postgres = clusters.find((c) => c.plan.serving)!.cluster;
    const database = this.postgres.endpoints;
    new PostgresRestoreCheck(this, 'postgres-restore-check', {
      stack,
      cluster: this.postgres.name,
      objectStore: objectStore.name,
      database: stack.postgres,
      postgresImage: stack.images.postgres,
      kubectlImage: stack.images.kubectl,
      verification: stack.backups.verification,
      storageClass,
    });
    new MigrationJob(this, 'migrations', {
      stack,
      // The release's app image: the migrations ship beside the code that needs them.
      image: stack.images.gateway,
      env: migrateEnv(stack, database),
      database,
      resources: stack.workers.resources,
      schemaVersion: props.schemaVersion ?? schemaVersion(),
    });
    const stores = { sentinels: this.redis.sentinels, masterName: this.redis.masterName, database };
    this.gateway = new Gateway(this, 'gateway', {
      stack,
      image: stack.images.gateway,
      env: gatewayEnv(stack, stores),
      database,
      resources: stack.gateway.resources,
      autoscaling: stack.gateway.autoscaling,
      drainSeconds: stack.gateway.drainSeconds,
      preStopSeconds: stack.gateway.preStopSeconds,
    });
    this.workers = new Workers(this, 'workers', {
      stack,
      image: stack.images.worker,
      env: workersEnv(stack, stores),
      database,
      replicas: stack.workers.replicas,
      resources: stack.workers.resources,
      drainSeconds: stack.workers.drainSeconds,
    });
    this.web = new Web(this, 'web', {
      stack,
      image: stack.images.web,
      replicas: stack.web.replicas,
      resources: stack.web.resources,
      domain: stack.domain,
      clusterIssuer: stack.tls.clusterIssuer,
      ingressClassName: stack.ingress.className,
      websocketTimeoutSeconds: stack.ingress.websocketTimeoutSeconds,
      gateway: this.gateway.service,
    });
    new NetworkPolicies(this, 'network', {
      stack,
      components: stackComponents(stack),
      edges: dependencyGraph(stack),
      namespaces: {
        ingressController: stack.ingress.controllerNamespace,
        prometheus: stack.monitoring.namespace,
        databaseOperator: stack.databaseOperator.namespace,
      },
      kubernetesApiCidrs: stack.kubernetesApi.cidrs,
    });
    new Monitoring(this, 'monitoring', {
      stack,
      namespace: stack.monitoring.namespace,
      release: stack.monitoring.release,
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

  /** Every object with its sync wave. */
  // biome-ignore lint/suspicious/noExplicitAny: cdk8s' own signature
  override toJson(): any[] {
    return withSyncWaves(super.toJson() as KubeObject[]);
  }
}
