/**
 * Metrics the app does not export but alerts and dashboards read: they come from exporters running
 * in the topology (redis_exporter, CloudNativePG's instance exporter, kube-state-metrics, the kubelet's cAdvisor) and
 * from Prometheus itself. Declared here, typed like the app's catalog, so PromQL over them is checked
 * by `tsc` too. Names and labels follow the exporters' documented output; keep them in step when an
 * exporter is upgraded.
 */
import { declare } from '../app/shared/telemetry/catalog.js';

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

  // --- CloudNativePG's instance exporter (port 9187 of every instance, scraped by our PodMonitor) ---
  // cnpg_collector_* come from the instance manager; cnpg_pg_* from its default queries
  // (cnpg-default-monitoring ConfigMap), one series per instance (namespace, pod from the scrape).
  cnpgCollectorUp: declare({
    name: 'cnpg_collector_up',
    kind: 'gauge',
    help: 'CloudNativePG: 1 if PostgreSQL is up on this instance, 0 otherwise (the instance manager answers either way).',
    labelNames: ['cluster'],
    unit: 'short',
  }),
  cnpgReplicationLag: declare({
    name: 'cnpg_pg_replication_lag',
    kind: 'gauge',
    help: 'CloudNativePG: seconds a standby is behind; 0 when received = replayed WAL, also when nothing is received at all.',
    labelNames: [],
    unit: 'seconds',
  }),
  cnpgReplicationInRecovery: declare({
    name: 'cnpg_pg_replication_in_recovery',
    kind: 'gauge',
    help: 'CloudNativePG: 1 on a standby (in recovery), 0 on the primary.',
    labelNames: [],
    unit: 'short',
  }),
  cnpgReplicationIsWalReceiverUp: declare({
    name: 'cnpg_pg_replication_is_wal_receiver_up',
    kind: 'gauge',
    help: "CloudNativePG: 1 while a standby's WAL receiver is connected to a sender.",
    labelNames: [],
    unit: 'short',
  }),
  cnpgBackendsTotal: declare({
    name: 'cnpg_backends_total',
    kind: 'gauge',
    help: 'CloudNativePG: server backends by database, user, application and state.',
    labelNames: ['datname', 'usename', 'application_name', 'state'],
    unit: 'short',
  }),
  cnpgSettings: declare({
    name: 'cnpg_pg_settings_setting',
    kind: 'gauge',
    help: 'CloudNativePG: numeric server settings by name (max_connections, …).',
    labelNames: ['name'],
    unit: 'short',
  }),
  cnpgWalArchiveStatus: declare({
    name: 'cnpg_collector_pg_wal_archive_status',
    kind: 'gauge',
    help: 'CloudNativePG: WAL segments in pg_wal/archive_status, value="ready" (waiting to be archived) or "done".',
    labelNames: ['value'],
    unit: 'short',
  }),

  // --- Barman Cloud Plugin (exposed through each instance's exporter) -------------------------
  barmanLastAvailableBackupTimestamp: declare({
    name: 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
    kind: 'gauge',
    help: 'Barman Cloud Plugin: Unix time of the newest base backup available in the object store.',
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
  kubeCronjobStatusLastSuccessfulTime: declare({
    name: 'kube_cronjob_status_last_successful_time',
    kind: 'gauge',
    help: 'kube-state-metrics: Unix time a Job of the CronJob last succeeded (absent until one has).',
    labelNames: ['cronjob'],
    unit: 'short',
  }),
  kubeCronjobStatusLastScheduleTime: declare({
    name: 'kube_cronjob_status_last_schedule_time',
    kind: 'gauge',
    help: 'kube-state-metrics: Unix time the CronJob last started a Job.',
    labelNames: ['cronjob'],
    unit: 'short',
  }),
  kubePodContainerResourceRequests: declare({
    name: 'kube_pod_container_resource_requests',
    kind: 'gauge',
    help: 'kube-state-metrics: container resource requests (memory in bytes, cpu in cores).',
    labelNames: ['container', 'node', 'resource', 'unit', 'uid'],
    unit: 'short',
  }),
  // From kube-state-metrics' custom resource state config (platform/cluster/postgres/state-metrics.ts): the
  // CloudNativePG Cluster's own spec, the count its instances are held to even when one sends nothing.
  kubeCnpgClusterSpecInstances: declare({
    name: 'kube_cnpg_cluster_spec_instances',
    kind: 'gauge',
    help: 'kube-state-metrics (custom resource state): spec.instances of a CloudNativePG Cluster.',
    labelNames: ['cluster', 'customresource_group', 'customresource_kind', 'customresource_version'],
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
  containerCpuUsageSecondsTotal: declare({
    name: 'container_cpu_usage_seconds_total',
    kind: 'counter',
    help: 'cAdvisor: CPU time the container used, in seconds (its rate is cores in use).',
    labelNames: ['container', 'cpu', 'id', 'image', 'name'],
    unit: 'seconds',
  }),
  containerCpuCfsPeriodsTotal: declare({
    name: 'container_cpu_cfs_periods_total',
    kind: 'counter',
    help: 'cAdvisor: CFS enforcement periods in which the container was runnable.',
    labelNames: ['container', 'id', 'image', 'name'],
    unit: 'short',
  }),
  containerCpuCfsThrottledPeriodsTotal: declare({
    name: 'container_cpu_cfs_throttled_periods_total',
    kind: 'counter',
    help: 'cAdvisor: CFS periods in which the container hit its CPU limit and was throttled.',
    labelNames: ['container', 'id', 'image', 'name'],
    unit: 'short',
  }),

  // --- prom-client default metrics (every app process exports them) ----------------------------
  processCpuSecondsTotal: declare({
    name: 'process_cpu_seconds_total',
    kind: 'counter',
    help: 'prom-client: user and system CPU time of the Node process.',
    labelNames: [],
    unit: 'seconds',
  }),
  processResidentMemoryBytes: declare({
    name: 'process_resident_memory_bytes',
    kind: 'gauge',
    help: 'prom-client: resident memory of the Node process.',
    labelNames: [],
    unit: 'bytes',
  }),
  nodejsEventloopLagP99Seconds: declare({
    name: 'nodejs_eventloop_lag_p99_seconds',
    kind: 'gauge',
    help: 'prom-client: 99th percentile of event-loop delay (saturation of the single JS thread).',
    labelNames: [],
    unit: 'seconds',
  }),
} as const;
