/** "HSC-JIT data stores": Redis and Postgres from their exporters, and the app's own pool view. */
import { metrics } from '../app/shared/telemetry/catalog.js';
import { external } from '../observability/external-metrics.js';
import {
  aggregateBy,
  buckets,
  histogramQuantile,
  maxBy,
  rate,
  secondsSince,
  series,
  sumBy,
} from '../observability/promql.js';
import { poolUsage, replicaLag } from '../alerts/components/postgres.js';
import { scope, type DashboardSpec } from './panels.js';

export const DATASTORES_UID = 'hsc-jit-datastores';

export const datastoresDashboard: DashboardSpec = {
  uid: DATASTORES_UID,
  title: 'HSC-JIT data stores',
  description:
    'Redis (Sentinel, master and replicas) and PostgreSQL (CloudNativePG primary and standbys), seen by their exporters and by the app.',
  tags: ['redis', 'postgres'],
  rows: [
    {
      title: 'Redis',
      panels: [
        {
          title: 'Redis up',
          description: '1 when redis_exporter reaches its instance.',
          unit: 'short',
          queries: [{ expr: maxBy(['pod'], series(external.redisUp, scope)), legend: '{{pod}}' }],
          alerts: ['RedisDown'],
          width: 8,
        },
        {
          title: 'Redis replication',
          description: "Replicas connected to the master, and each replica's link to it.",
          unit: 'short',
          queries: [
            { expr: maxBy(['pod'], series(external.redisConnectedSlaves, scope)), legend: 'replicas of {{pod}}' },
            { expr: maxBy(['pod'], series(external.redisMasterLinkUp, scope)), legend: 'link up {{pod}}' },
          ],
          alerts: ['RedisMasterLinkDown'],
          width: 8,
        },
        {
          title: 'Sentinels OK',
          description: 'Sentinels agreeing the master is reachable (quorum needs a majority).',
          unit: 'short',
          queries: [
            {
              expr: maxBy(['pod', 'master_name'], series(external.redisSentinelMasterOkSentinels, scope)),
              legend: '{{pod}} {{master_name}}',
            },
          ],
          alerts: ['RedisSentinelQuorumLost'],
          width: 8,
        },
        {
          title: 'Redis memory',
          description: 'Memory used per Redis instance.',
          unit: 'bytes',
          queries: [
            { expr: maxBy(['pod'], series(external.redisMemoryUsedBytes, scope)), legend: '{{pod}}' },
            { expr: maxBy(['pod'], series(external.redisMemoryMaxBytes, scope)), legend: 'maxmemory {{pod}}' },
          ],
          alerts: ['RedisMemoryNearMax'],
        },
        {
          title: 'Redis clients',
          description: 'Client connections per Redis instance.',
          unit: 'short',
          queries: [{ expr: maxBy(['pod'], series(external.redisConnectedClients, scope)), legend: '{{pod}}' }],
        },
      ],
    },
    {
      title: 'PostgreSQL',
      panels: [
        {
          title: 'Postgres instances up',
          description:
            '1 while an instance runs Postgres (CloudNativePG instance manager). Fewer lines than the Cluster has instances means one sends nothing at all.',
          unit: 'short',
          queries: [{ expr: maxBy(['pod'], series(external.cnpgCollectorUp, scope)), legend: '{{pod}}' }],
          alerts: [
            'PostgresPrimaryUnavailable',
            'PostgresInstancesAbsent',
            'PostgresInstanceDown',
            'PostgresInstanceMissing',
          ],
          width: 8,
        },
        {
          title: 'Postgres standby lag',
          description:
            'Seconds each standby is behind the primary; +Inf when it receives no WAL at all (warning above 1 s, critical above 15 s).',
          unit: 's',
          queries: [{ expr: replicaLag.series(scope), legend: '{{pod}}' }],
          alerts: ['PostgresReplicaLagging', 'PostgresReplicaLagCritical'],
          width: 8,
        },
        {
          title: 'Postgres backends',
          description: 'Server-side connections against max_connections.',
          unit: 'short',
          queries: [
            { expr: sumBy(['pod'], series(external.cnpgBackendsTotal, scope)), legend: '{{pod}}' },
            {
              expr: maxBy(['pod'], series(external.cnpgSettings, { ...scope, name: 'max_connections' })),
              legend: 'max {{pod}}',
            },
          ],
          width: 8,
        },
        {
          title: 'App pool usage',
          description: 'Connections checked out of each app pool / pool size (alert above 90%).',
          unit: 'percentunit',
          queries: [{ expr: poolUsage.series(scope), legend: '{{pod}} {{pool}}' }],
          alerts: ['PostgresPoolSaturated'],
        },
        {
          title: 'Query latency p95',
          description: '95th percentile query duration by pool and outcome, as the app sees it.',
          unit: 's',
          queries: [
            {
              expr: histogramQuantile(
                0.95,
                sumBy(['pool', 'outcome', 'le'], rate(buckets(metrics.postgresqlQueryDurationSeconds, scope), '5m')),
              ),
              legend: '{{pool}} {{outcome}}',
            },
          ],
          alerts: ['PostgresPoolSaturated'],
        },
      ],
    },
    {
      title: 'PostgreSQL backups',
      panels: [
        {
          title: 'Newest base backup age',
          description: 'Age of the newest base backup in the object store (Barman Cloud Plugin; alert above 26 h).',
          unit: 's',
          queries: [
            {
              expr: aggregateBy(
                'min',
                ['namespace'],
                secondsSince(series(external.barmanLastAvailableBackupTimestamp, scope)),
              ),
              legend: '{{namespace}}',
            },
          ],
          alerts: ['PostgresBackupTooOld'],
          width: 8,
        },
        {
          title: 'WAL waiting to be archived',
          description: 'WAL segments not yet shipped to the object store (alert above 10 for 15 min).',
          unit: 'short',
          queries: [
            {
              expr: maxBy(['pod'], series(external.cnpgWalArchiveStatus, { ...scope, value: 'ready' })),
              legend: '{{pod}}',
            },
          ],
          alerts: ['PostgresWalArchivingStuck'],
          width: 8,
        },
        {
          title: 'Last successful restore check',
          description:
            'Time since the weekly restore check last restored a backup and queried it (alert above 8 days).',
          unit: 's',
          queries: [
            {
              expr: secondsSince(
                series(external.kubeCronjobStatusLastSuccessfulTime, { ...scope, cronjob: 'postgres-restore-check' }),
              ),
              legend: '{{namespace}}',
            },
          ],
          alerts: ['PostgresRestoreCheckFailing', 'PostgresRestoreCheckNeverSucceeded'],
          width: 8,
        },
      ],
    },
  ],
};
