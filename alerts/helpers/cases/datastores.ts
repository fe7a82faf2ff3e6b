import { metrics } from '../../../app/shared/telemetry/catalog.js';
import { external } from '../../../observability/external-metrics.js';
import { series } from '../../../observability/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget } from './targets.js';

const redis = { job: 'redis-exporter', instance: '10.0.2.1:9121', namespace: 'hsc-jit', pod: 'redis-1' } as const;
/**
 * The sentinels' exporter as prometheus-operator labels it (ServiceMonitor "redis-sentinels" on the
 * redis-headless Service, port sentinel-metrics), and the labels redis_exporter puts on
 * redis_sentinel_master_ckquorum_status: master_name, and the sentinel's own CKQUORUM reply as message.
 */
const sentinel = {
  job: 'redis-headless',
  instance: '10.0.2.5:9355',
  namespace: 'hsc-jit',
  pod: 'redis-0',
  container: 'sentinel-exporter',
  endpoint: 'sentinel-metrics',
} as const;
export const NOQUORUM =
  'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover';
export const QUORUM_OK = 'OK 3 usable Sentinels. Quorum and failover authorization can be reached';
const memory = (usedBytes: number) => [
  input(series(external.redisMemoryUsedBytes, redis), `${usedBytes}x30`),
  input(series(external.redisMemoryMaxBytes, redis), '1000000000x30'),
];
/** A CloudNativePG instance as our PodMonitor scrapes it (job = <namespace>/<PodMonitor>). */
const instance = (pod: string, ip: string) =>
  ({ job: 'hsc-jit/postgres', instance: `${ip}:9187`, namespace: 'hsc-jit', pod }) as const;
const primary = instance('postgres-1', '10.0.3.1');
const standby = instance('postgres-2', '10.0.3.2');
const ksm = { job: 'kube-state-metrics', instance: '10.0.9.9:8080', namespace: 'hsc-jit' } as const;
const restoreCheck = { ...ksm, cronjob: 'postgres-restore-check' } as const;
/** The Cluster's spec.instances as kube-state-metrics' custom resource state exports it. */
const specInstances = (instances: number, cluster = 'postgres') =>
  input(
    series(external.kubeCnpgClusterSpecInstances, {
      ...ksm,
      cluster,
      customresource_group: 'postgresql.cnpg.io',
      customresource_kind: 'Cluster',
      customresource_version: 'v1',
    }),
    `${instances}x30`,
  );

const up = (target: typeof primary, value: string) =>
  input(series(external.cnpgCollectorUp, { ...target, cluster: 'postgres' }), value);
/** A standby as the default pg_replication query reports it: lag, in recovery, WAL receiver. */
const standbySeries = (lag: string, receiverUp: string) => [
  input(series(external.cnpgReplicationLag, standby), lag),
  input(series(external.cnpgReplicationInRecovery, standby), '1x60'),
  input(series(external.cnpgReplicationIsWalReceiverUp, standby), receiverUp),
];

const down = (
  alert: string,
  metric: typeof external.redisUp | typeof external.redisMasterLinkUp,
  target: typeof redis,
): AlertCase => ({
  alert,
  firing: [input(series(metric, target), '0x30')],
  trueFromMinute: 0,
  labels: { ...target },
  valueText: '0',
  healthy: [input(series(metric, target), '1x30')],
});

const pool = (used: number) => [
  input(series(metrics.postgresqlConnectionsUsed, { ...gatewayTarget, pool: 'primary' }), `${used}x60`),
  input(series(metrics.postgresqlConnectionsMax, { ...gatewayTarget, pool: 'primary' }), '10x60'),
];

export const datastoresCases: AlertCase[] = [
  down('RedisDown', external.redisUp, redis),
  down('RedisMasterLinkDown', external.redisMasterLinkUp, redis),
  {
    alert: 'RedisSentinelQuorumLost',
    firing: [
      input(
        series(external.redisSentinelMasterCkquorumStatus, {
          ...sentinel,
          master_name: 'hsc-jit',
          message: NOQUORUM,
        }),
        '0x30',
      ),
    ],
    trueFromMinute: 0,
    labels: { ...sentinel, master_name: 'hsc-jit', message: NOQUORUM },
    valueText: '0',
    healthy: [
      input(
        series(external.redisSentinelMasterCkquorumStatus, {
          ...sentinel,
          master_name: 'hsc-jit',
          message: QUORUM_OK,
        }),
        '1x30',
      ),
    ],
  },
  {
    alert: 'RedisMemoryNearMax',
    firing: memory(950_000_000),
    trueFromMinute: 0,
    labels: { ...redis },
    valueText: '95%',
    // Below the threshold, and a sentinel (maxmemory 0) never counts as full.
    healthy: [
      ...memory(300_000_000),
      input(series(external.redisMemoryUsedBytes, sentinel), '2000000x30'),
      input(series(external.redisMemoryMaxBytes, sentinel), '0x30'),
    ],
  },
  {
    // The primary's Postgres is down (its in_recovery series is gone with it), the standby is not promoted.
    alert: 'PostgresPrimaryUnavailable',
    firing: [
      up(primary, '0x30'),
      up(standby, '1x30'),
      input(series(external.cnpgReplicationInRecovery, standby), '1x30'),
    ],
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', cluster: 'postgres' },
    valueText: '2',
    healthy: [
      up(primary, '1x30'),
      up(standby, '1x30'),
      input(series(external.cnpgReplicationInRecovery, primary), '0x30'),
      input(series(external.cnpgReplicationInRecovery, standby), '1x30'),
    ],
  },
  {
    alert: 'PostgresInstancesAbsent',
    firing: [input(series(external.redisUp, redis), '1x30')],
    trueFromMinute: 0,
    labels: {},
    valueText: '1',
    healthy: [up(primary, '1x30')],
  },
  {
    alert: 'PostgresInstanceDown',
    firing: [up(standby, '0x30')],
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', pod: 'postgres-2', cluster: 'postgres' },
    valueText: '0',
    healthy: [up(standby, '1x30')],
  },
  {
    // The standby's pod is gone: it sends no series at all; only the Cluster's spec says it should exist.
    // The weekly restore check's throwaway Cluster (1 instance, never scraped) is there in both: it never
    // fires the alert (healthy stays silent, and firing shows only the real Cluster), a missing real
    // standby beside it still does.
    alert: 'PostgresInstanceMissing',
    firing: [specInstances(1, 'postgres-restore-check'), specInstances(2), up(primary, '1x30')],
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', cluster: 'postgres' },
    valueText: '1',
    healthy: [specInstances(1, 'postgres-restore-check'), specInstances(2), up(primary, '1x30'), up(standby, '1x30')],
  },
  {
    // 5 s: above the warning threshold, below the critical one.
    alert: 'PostgresReplicaLagging',
    firing: standbySeries('5x60', '1x60'),
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', pod: 'postgres-2' },
    valueText: '5s',
    healthy: standbySeries('0.5x60', '1x60'),
  },
  {
    // The WAL receiver is gone: CloudNativePG's lag reads 0, the recorded lag is +Inf and the alert fires.
    alert: 'PostgresReplicaLagCritical',
    firing: standbySeries('0x60', '0x60'),
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', pod: 'postgres-2' },
    valueText: '+Inf',
    healthy: standbySeries('5x60', '1x60'),
  },
  {
    alert: 'PostgresWalArchivingStuck',
    firing: [input(series(external.cnpgWalArchiveStatus, { ...primary, value: 'ready' }), '50x60')],
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', pod: 'postgres-1' },
    valueText: '50',
    healthy: [input(series(external.cnpgWalArchiveStatus, { ...primary, value: 'ready' }), '1x60')],
  },
  {
    // The newest backup is 100,000 s old at minute 0 (timestamps are relative to promtool's epoch).
    alert: 'PostgresBackupTooOld',
    firing: [input(series(external.barmanLastAvailableBackupTimestamp, primary), '-100000x60')],
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit' },
    valueText: '1d 4h 16m 40s',
    healthy: [input(series(external.barmanLastAvailableBackupTimestamp, primary), '0x60')],
  },
  {
    alert: 'PostgresRestoreCheckFailing',
    firing: [input(series(external.kubeCronjobStatusLastSuccessfulTime, restoreCheck), '-700000x30')],
    trueFromMinute: 0,
    labels: { ...restoreCheck },
    valueText: '8d 2h 36m 40s',
    healthy: [input(series(external.kubeCronjobStatusLastSuccessfulTime, restoreCheck), '0x30')],
  },
  {
    alert: 'PostgresRestoreCheckNeverSucceeded',
    firing: [input(series(external.kubeCronjobStatusLastScheduleTime, restoreCheck), '1000x200')],
    trueFromMinute: 0,
    labels: { ...restoreCheck },
    valueText: '1000',
    healthy: [
      input(series(external.kubeCronjobStatusLastScheduleTime, restoreCheck), '1000x200'),
      input(series(external.kubeCronjobStatusLastSuccessfulTime, restoreCheck), '1000x200'),
    ],
  },
  {
    alert: 'PostgresPoolSaturated',
    firing: pool(10),
    trueFromMinute: 0,
    labels: { namespace: gatewayTarget.namespace, pod: gatewayTarget.pod, pool: 'primary' },
    valueText: '100%',
    healthy: pool(4),
  },
];
