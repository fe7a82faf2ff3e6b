/**
 * Metrics the app does not export but alerts and dashboards read: they come from exporters running
 * in the topology (redis_exporter, postgres_exporter, kube-state-metrics, the kubelet's cAdvisor) and
 * from Prometheus itself. Declared here, typed like the app's catalog, so PromQL over them is checked
 * by `tsc` too. Names and labels follow the exporters' documented output; keep them in step when an
 * exporter is upgraded.
 */
import { declare } from './catalog.js';

export const external = {
  // --- Prometheus itself -----------------------------------------------------------------------
  up: declare({
    name: 'up',
    kind: 'gauge',
    help: 'Prometheus: 1 when the last scrape of the target succeeded.',
    labelNames: [],
    unit: 'short',
  }),

  // --- redis_exporter (oliver006/redis_exporter), two per Redis pod: one scrapes the data node, one the
  // sentinel (redis_sentinel_* only come from the one talking to a sentinel) --------------------
  redisUp: declare({
    name: 'redis_up',
    kind: 'gauge',
    help: 'redis_exporter: 1 when the exporter could talk to its Redis instance.',
    labelNames: [],
    unit: 'short',
  }),
  redisInstanceInfo: declare({
    name: 'redis_instance_info',
    kind: 'gauge',
    help: 'redis_exporter: constant 1, with the instance role (master | slave) and mode as labels.',
    labelNames: ['role', 'redis_mode', 'redis_version'],
    unit: 'short',
  }),
  redisConnectedSlaves: declare({
    name: 'redis_connected_slaves',
    kind: 'gauge',
    help: 'redis_exporter: replicas connected to this master.',
    labelNames: [],
    unit: 'short',
  }),
  redisMasterLinkUp: declare({
    name: 'redis_master_link_up',
    kind: 'gauge',
    help: 'redis_exporter (replicas only): 1 when the replication link to the master is up.',
    labelNames: [],
    unit: 'short',
  }),
  redisMemoryUsedBytes: declare({
    name: 'redis_memory_used_bytes',
    kind: 'gauge',
    help: 'redis_exporter: memory used by Redis.',
    labelNames: [],
    unit: 'bytes',
  }),
  redisMemoryMaxBytes: declare({
    name: 'redis_memory_max_bytes',
    kind: 'gauge',
    help: 'redis_exporter: the maxmemory setting (0: unlimited, and on a sentinel).',
    labelNames: [],
    unit: 'bytes',
  }),
  redisConnectedClients: declare({
    name: 'redis_connected_clients',
    kind: 'gauge',
    help: 'redis_exporter: client connections.',
    labelNames: [],
    unit: 'short',
  }),
  redisSentinelMasterOkSentinels: declare({
    name: 'redis_sentinel_master_ok_sentinels',
    kind: 'gauge',
    help: 'redis_exporter (on a sentinel): sentinels that currently agree the master is reachable.',
    labelNames: ['master_name', 'master_address'],
    unit: 'short',
  }),
  redisSentinelMasterCkquorumStatus: declare({
    name: 'redis_sentinel_master_ckquorum_status',
    kind: 'gauge',
    help: 'redis_exporter (on a sentinel): 1 when SENTINEL CKQUORUM says a failover could be authorized.',
    labelNames: ['master_name', 'message'],
    unit: 'short',
  }),

  // --- postgres_exporter (prometheus-community/postgres_exporter) ----------------------------
  pgUp: declare({
    name: 'pg_up',
    kind: 'gauge',
    help: 'postgres_exporter: 1 when the exporter could connect to its Postgres.',
    labelNames: [],
    unit: 'short',
  }),
  pgReplicationLagSeconds: declare({
    name: 'pg_replication_lag_seconds',
    kind: 'gauge',
    help: 'postgres_exporter (replication collector, replicas): seconds behind the primary.',
    labelNames: [],
    unit: 'seconds',
  }),
  pgReplicationIsReplica: declare({
    name: 'pg_replication_is_replica',
    kind: 'gauge',
    help: 'postgres_exporter: 1 on a replica in recovery, 0 on the primary.',
    labelNames: [],
    unit: 'short',
  }),
  pgStatDatabaseNumbackends: declare({
    name: 'pg_stat_database_numbackends',
    kind: 'gauge',
    help: 'postgres_exporter: backends connected to each database.',
    labelNames: ['datid', 'datname'],
    unit: 'short',
  }),
  pgSettingsMaxConnections: declare({
    name: 'pg_settings_max_connections',
    kind: 'gauge',
    help: 'postgres_exporter: the server max_connections setting.',
    labelNames: [],
    unit: 'short',
  }),

  // --- kube-state-metrics -------------------------------------------------------------------
  kubePodContainerStatusRestartsTotal: declare({
    name: 'kube_pod_container_status_restarts_total',
    kind: 'counter',
    help: 'kube-state-metrics: container restarts.',
    labelNames: ['container', 'uid'],
    unit: 'short',
  }),
  kubePodContainerStatusWaitingReason: declare({
    name: 'kube_pod_container_status_waiting_reason',
    kind: 'gauge',
    help: 'kube-state-metrics: 1 while a container waits, with the reason (CrashLoopBackOff, …).',
    labelNames: ['container', 'reason', 'uid'],
    unit: 'short',
  }),
  kubePodContainerResourceLimits: declare({
    name: 'kube_pod_container_resource_limits',
    kind: 'gauge',
    help: 'kube-state-metrics: container resource limits (memory in bytes, cpu in cores).',
    labelNames: ['container', 'node', 'resource', 'unit', 'uid'],
    unit: 'short',
  }),
  kubeDeploymentStatusReplicasAvailable: declare({
    name: 'kube_deployment_status_replicas_available',
    kind: 'gauge',
    help: 'kube-state-metrics: available replicas of a Deployment.',
    labelNames: ['deployment'],
    unit: 'short',
  }),

  // --- cAdvisor (kubelet /metrics/cadvisor) ---------------------------------------------------
  containerMemoryWorkingSetBytes: declare({
    name: 'container_memory_working_set_bytes',
    kind: 'gauge',
    help: 'cAdvisor: container working-set memory, what the OOM killer compares with the limit.',
    labelNames: ['container', 'id', 'image', 'name'],
    unit: 'bytes',
  }),
} as const;

export type ExternalMetrics = typeof external;
