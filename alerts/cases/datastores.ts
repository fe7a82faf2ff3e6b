import { metrics } from '../../app/telemetry/catalog.js';
import { external } from '../../app/telemetry/external-metrics.js';
import { series } from '../../app/telemetry/promql.js';
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
const pg = {
  job: 'postgres-exporter',
  instance: '10.0.3.2:9187',
  namespace: 'hsc-jit',
  pod: 'postgres-replica-0',
} as const;

const down = (
  alert: string,
  metric: typeof external.redisUp | typeof external.pgUp | typeof external.redisMasterLinkUp,
  target: typeof redis | typeof pg,
): AlertCase => ({
  alert,
  firing: [input(series(metric, target), '0x30')],
  trueFromMinute: 0,
  labels: { ...target },
  valueText: '0',
  healthy: [input(series(metric, target), '1x30')],
});

const lag = (alert: string, seconds: number, valueText: string, healthySeconds: number): AlertCase => ({
  alert,
  firing: [input(series(external.pgReplicationLagSeconds, pg), `${seconds}x60`)],
  trueFromMinute: 0,
  labels: { ...pg },
  valueText,
  healthy: [input(series(external.pgReplicationLagSeconds, pg), `${healthySeconds}x60`)],
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
  down('PostgresDown', external.pgUp, pg),
  // 5 s: above the warning threshold, below the critical one.
  lag('PostgresReplicaLagging', 5, '5s', 0.5),
  lag('PostgresReplicaLagCritical', 30, '30s', 5),
  {
    alert: 'PostgresPoolSaturated',
    firing: pool(10),
    trueFromMinute: 0,
    labels: { namespace: gatewayTarget.namespace, pod: gatewayTarget.pod, pool: 'primary' },
    valueText: '100%',
    healthy: pool(4),
  },
];
