/** Postgres (via postgres_exporter, and the app's own pool metrics): down, replica lag, pool saturation. */
import { metrics } from '../../app/telemetry/catalog.js';
import { external } from '../../app/telemetry/external-metrics.js';
import { gt, lt, maxBy, ratio, recording, series } from '../../app/telemetry/promql.js';
import type { ComponentRules } from '../define.js';

export const poolUsage = recording(
  'pool:postgresql_connections:usage_ratio',
  ratio(
    maxBy(['namespace', 'pod', 'pool'], series(metrics.postgresqlConnectionsUsed)),
    maxBy(['namespace', 'pod', 'pool'], series(metrics.postgresqlConnectionsMax)),
  ),
);

const lagRunbook = {
  meaning:
    'The Postgres replica replays the primary\'s WAL late. Answers read chunks from the replica, so a manual that just became "ready" may have no chunks there yet, and stale reads grow with the lag.',
  confirm:
    'Panel "Postgres replica lag" on "HSC-JIT data stores". On the replica: `select now() - pg_last_xact_replay_timestamp();`; on the primary: `select * from pg_stat_replication;` (write/flush/replay lag).',
  act: '1. Look for a long-running query on the replica holding replay (`pg_stat_activity`), cancel it if safe. 2. Check disk and network I/O of both pods. 3. If the replica is far behind and not catching up, rebuild it with pg_basebackup; the app keeps working on the primary.',
};

export const postgresRules: ComponentRules = {
  group: 'hsc-jit.postgres',
  recordings: [poolUsage],
  alerts: [
    {
      name: 'PostgresDown',
      severity: 'critical',
      expr: lt(series(external.pgUp), 1),
      for: '1m',
      summary: 'postgres_exporter cannot connect to its Postgres server.',
      description: 'Postgres behind {{ $labels.instance }} (pod {{ $labels.pod }}) has been unreachable for a minute.',
      dashboard: 'hsc-jit-datastores',
      runbook: {
        meaning:
          'A Postgres server is down. If it is the primary, writes fail (manual status, conversations, audit log) and /readyz turns 503; if it is the replica, answers fall back or fail.',
        confirm:
          'Panel "Postgres up" on "HSC-JIT data stores"; `kubectl get pods -l app.kubernetes.io/name=postgres`; `pg_isready -h <service>`.',
        act: '1. Read the pod log and events (disk full? OOMKilled?). 2. Fix the cause and let the StatefulSet restart it. 3. If the primary volume is lost, promote the replica (`pg_ctl promote`) and point DATABASE_URL at it.',
      },
    },
    {
      name: 'PostgresReplicaLagging',
      severity: 'warning',
      expr: gt(series(external.pgReplicationLagSeconds), 1),
      for: '5m',
      summary: 'The Postgres replica is more than 1 second behind the primary.',
      description: 'Replica {{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary.',
      dashboard: 'hsc-jit-datastores',
      runbook: lagRunbook,
    },
    {
      name: 'PostgresReplicaLagCritical',
      severity: 'critical',
      expr: gt(series(external.pgReplicationLagSeconds), 15),
      for: '2m',
      summary: 'The Postgres replica is more than 15 seconds behind the primary.',
      description: 'Replica {{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary.',
      dashboard: 'hsc-jit-datastores',
      runbook: lagRunbook,
    },
    {
      name: 'PostgresPoolSaturated',
      severity: 'warning',
      expr: gt(poolUsage.series(), 0.9),
      for: '10m',
      summary: 'An app database pool has more than 90% of its connections checked out.',
      description:
        'The {{ $labels.pool }} pool of pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its connections.',
      dashboard: 'hsc-jit-datastores',
      runbook: {
        meaning: 'Queries queue for a connection inside the app: latency rises everywhere, then requests time out.',
        confirm:
          'Panels "App pool usage" and "Query latency p95" on "HSC-JIT data stores". Slow queries hold connections longer: check `postgresql_query_duration_seconds`.',
        act: '1. Find slow queries (`pg_stat_activity`) and their cause. 2. Scale the gateway out only if Postgres max_connections allows it (pods × DATABASE_POOL_MAX). 3. Raise DATABASE_POOL_MAX with care.',
      },
    },
  ],
};
