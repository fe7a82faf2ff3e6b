/** "HSC-JIT data stores": Redis and Postgres from their exporters, and the app's own pool view. */
import { metrics } from '../app/telemetry/catalog.js';
import { external } from '../app/telemetry/external-metrics.js';
import { buckets, histogramQuantile, maxBy, rate, series, sumBy } from '../app/telemetry/promql.js';
import { poolUsage } from '../alerts/components/postgres.js';
import type { DashboardSpec } from './panels.js';

export const DATASTORES_UID = 'hsc-jit-datastores';

export const datastoresDashboard: DashboardSpec = {
  uid: DATASTORES_UID,
  title: 'HSC-JIT data stores',
  description:
    'Redis (Sentinel, master and replicas) and PostgreSQL (primary and replica), seen by their exporters and by the app.',
  tags: ['redis', 'postgres'],
  rows: [
    {
      title: 'Redis',
      panels: [
        {
          title: 'Redis up',
          description: '1 when redis_exporter reaches its instance.',
          unit: 'short',
          queries: [{ expr: maxBy(['pod'], series(external.redisUp)), legend: '{{pod}}' }],
          alerts: ['RedisDown'],
          width: 8,
        },
        {
          title: 'Redis replication',
          description: "Replicas connected to the master, and each replica's link to it.",
          unit: 'short',
          queries: [
            { expr: maxBy(['pod'], series(external.redisConnectedSlaves)), legend: 'replicas of {{pod}}' },
            { expr: maxBy(['pod'], series(external.redisMasterLinkUp)), legend: 'link up {{pod}}' },
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
              expr: maxBy(['pod', 'master_name'], series(external.redisSentinelMasterOkSentinels)),
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
          queries: [{ expr: maxBy(['pod'], series(external.redisMemoryUsedBytes)), legend: '{{pod}}' }],
        },
        {
          title: 'Redis clients',
          description: 'Client connections per Redis instance.',
          unit: 'short',
          queries: [{ expr: maxBy(['pod'], series(external.redisConnectedClients)), legend: '{{pod}}' }],
        },
      ],
    },
    {
      title: 'PostgreSQL',
      panels: [
        {
          title: 'Postgres up',
          description: '1 when postgres_exporter reaches its server.',
          unit: 'short',
          queries: [{ expr: maxBy(['pod'], series(external.pgUp)), legend: '{{pod}}' }],
          alerts: ['PostgresDown'],
          width: 8,
        },
        {
          title: 'Postgres replica lag',
          description: 'Seconds the replica is behind the primary (warning above 1 s, critical above 15 s).',
          unit: 's',
          queries: [{ expr: maxBy(['pod'], series(external.pgReplicationLagSeconds)), legend: '{{pod}}' }],
          alerts: ['PostgresReplicaLagging', 'PostgresReplicaLagCritical'],
          width: 8,
        },
        {
          title: 'Postgres backends',
          description: 'Server-side connections against max_connections.',
          unit: 'short',
          queries: [
            { expr: sumBy(['pod'], series(external.pgStatDatabaseNumbackends)), legend: '{{pod}}' },
            { expr: maxBy(['pod'], series(external.pgSettingsMaxConnections)), legend: 'max {{pod}}' },
          ],
          width: 8,
        },
        {
          title: 'App pool usage',
          description: 'Connections checked out of each app pool / pool size (alert above 90%).',
          unit: 'percentunit',
          queries: [{ expr: poolUsage.series(), legend: '{{pod}} {{pool}}' }],
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
                sumBy(['pool', 'outcome', 'le'], rate(buckets(metrics.postgresqlQueryDurationSeconds), '5m')),
              ),
              legend: '{{pool}} {{outcome}}',
            },
          ],
          alerts: ['PostgresPoolSaturated'],
        },
      ],
    },
  ],
};
