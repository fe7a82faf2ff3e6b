/**
 * Postgres on CloudNativePG: the outage itself (no primary, no instance at all), a down or missing instance, standby
 * lag that cannot read 0 while a standby receives nothing, WAL archiving, backup age, the weekly restore
 * check; plus the app's own pool view. Metrics: CloudNativePG's instance exporter (our PodMonitor), the
 * Barman Cloud Plugin's, kube-state-metrics' view of the restore-check CronJob.
 */
import { metrics } from '../../app/shared/telemetry/catalog.js';
import { external } from '../../observability/external-metrics.js';
import {
  absent,
  aggregateBy,
  and,
  binary,
  gt,
  lt,
  maxBy,
  ne,
  or,
  ratio,
  recording,
  secondsSince,
  series,
} from '../../observability/promql.js';
import type { AlertDefinition, ComponentRules } from '../define.js';

export const poolUsage = recording(
  'pool:postgresql_connections:usage_ratio',
  ratio(
    maxBy(['namespace', 'pod', 'pool'], series(metrics.postgresqlConnectionsUsed)),
    maxBy(['namespace', 'pod', 'pool'], series(metrics.postgresqlConnectionsMax)),
  ),
);

const instance = ['namespace', 'pod'] as const;
const standby = binary(series(external.cnpgReplicationInRecovery), '==', 1);

/**
 * Seconds each standby is behind. CloudNativePG's own lag reads 0 when received WAL equals replayed WAL,
 * which is also the case when the WAL receiver is gone and nothing arrives: such a standby is recorded
 * as +Inf (it will never catch up by itself), so the lag alerts fire instead of staying silent.
 */
export const replicaLag = recording(
  'pod:cnpg_replica_lag_seconds:max',
  maxBy(
    instance,
    or(
      binary(
        and(standby, binary(series(external.cnpgReplicationIsWalReceiverUp), '==', 0), { on: instance }),
        '*',
        Number.POSITIVE_INFINITY,
      ),
      and(series(external.cnpgReplicationLag), standby, { on: instance }),
      { on: instance },
    ),
  ),
);

/** Instances whose Postgres is up and is the primary, per Cluster. */
const runningPrimaries = aggregateBy(
  'count',
  ['namespace', 'cluster'],
  and(binary(series(external.cnpgCollectorUp), '==', 1), binary(series(external.cnpgReplicationInRecovery), '==', 0), {
    on: instance,
  }),
);

const DASHBOARD = 'hsc-jit-datastores';
const RESTORE_CHECK = 'postgres-restore-check';
/**
 * Each Cluster's spec.instances, except the restore check's throwaway one: nothing scrapes it (it has no
 * PodMonitor and lives for minutes), so it would always count as missing.
 */
const specInstances = series(external.kubeCnpgClusterSpecInstances, { cluster: ne(RESTORE_CHECK) });
const DAY = 86_400;

const switchover =
  "`kubectl cnpg status postgres -n <namespace>` shows the primary, each standby's replication state and the archiving status; `kubectl cnpg promote postgres <instance> -n <namespace>` switches over to a healthy standby.";

const lagRunbook = {
  meaning:
    'A standby replays the primary\'s WAL late, or receives none at all (recorded as +Inf). Answers read chunks from the standbys (-ro): a manual that just became "ready" may have no chunks there yet. With synchronous replication (staging, prod: quorum of one of two standbys, "required" durability) commits go on while the other standby confirms them; if both lag or stop, writes wait.',
  confirm: `Panel "Postgres standby lag" on "HSC-JIT data stores". ${switchover} On the standby: \`kubectl cnpg psql postgres -n <namespace> -- -c 'select * from pg_stat_wal_receiver'\` (no row: the receiver is down).`,
  act: "1. Receiver down: read the standby's log (`kubectl logs <pod> -c postgres`); a missing WAL segment the primary no longer has is restored from the archive by the operator, otherwise delete the standby's PVC and pod (`kubectl cnpg destroy postgres <instance>`) and the operator re-clones it. 2. Slow replay: look for a long query on the standby holding replay (`pg_stat_activity`), cancel it if safe; check disk and network I/O. 3. Reads fall back to the primary when the standby fails them, so users keep working while you fix it.",
};

const alerts: AlertDefinition[] = [
  {
    name: 'PostgresPrimaryUnavailable',
    severity: 'critical',
    expr: binary(
      aggregateBy('count', ['namespace', 'cluster'], series(external.cnpgCollectorUp)),
      'unless',
      runningPrimaries,
      {
        on: ['namespace', 'cluster'],
      },
    ),
    // CloudNativePG fails over within about 30 s; two minutes without a primary means it could not.
    for: '2m',
    summary: 'The Postgres Cluster has no running primary: writes fail.',
    description:
      'Cluster {{ $labels.cluster }} in {{ $labels.namespace }} has {{ $value }} instance(s) reporting and none of them is a running primary.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        'No instance is a running primary, so every write fails: manual status, conversations, the audit log. Gateways stay Ready (predictions are served from memory) and asks answer `unavailable` quickly. CloudNativePG normally promotes the most advanced standby within seconds; this alert means it has not.',
      confirm: `Panel "Postgres instances up" on "HSC-JIT data stores". ${switchover} \`kubectl get cluster postgres -n <namespace>\` (phase, e.g. "Failing over"); \`kubectl get pods -l cnpg.io/cluster=postgres -n <namespace>\`; the operator log: \`kubectl logs -n cnpg-system deploy/cloudnative-pg\`.`,
      act: '1. If a failover is in progress, let it finish (the phase says so). 2. A standby exists but is not promoted: check `kubectl cnpg status` for its lag and fencing (`kubectl cnpg fencing off postgres <instance>`); promote the most advanced healthy standby with `kubectl cnpg promote postgres <instance>`. 3. No healthy instance at all (volumes lost): recover into a new Cluster from the object store (docs/operations.md, "Point-in-time recovery"). 4. Afterwards: runbook PostgresInstanceDown for the old primary.',
    },
  },
  {
    name: 'PostgresInstancesAbsent',
    severity: 'critical',
    expr: absent(series(external.cnpgCollectorUp)),
    for: '5m',
    summary: 'Prometheus sees no CloudNativePG instance at all.',
    description:
      'absent(cnpg_collector_up) = {{ $value }} for five minutes: every Postgres pod is gone or none can be scraped.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        'Either every Postgres pod is gone (the database is down and writes fail) or Prometheus cannot scrape them, and the other Postgres alerts are blind.',
      confirm:
        "`kubectl get cluster,pods -l cnpg.io/cluster -n <namespace>`; Prometheus targets page: the `postgres` PodMonitor; the instances' network policy allows Prometheus on 9187.",
      act: '1. Pods missing: `kubectl describe cluster postgres` and the operator log (`kubectl logs -n cnpg-system deploy/cloudnative-pg`): scheduling (anti-affinity needs one node per instance), PVCs, image pulls. 2. Pods running but not scraped: fix the PodMonitor or the policy. 3. Cluster object gone: restore it from Git (Argo CD) and recover from the object store if its volumes are gone.',
    },
  },
  {
    name: 'PostgresInstanceDown',
    severity: 'warning',
    expr: lt(maxBy(['namespace', 'pod', 'cluster'], series(external.cnpgCollectorUp)), 1),
    for: '5m',
    summary: 'A Postgres instance is not running Postgres.',
    description: 'Instance {{ $labels.pod }} of Cluster {{ $labels.cluster }} has not been up for five minutes.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        "One instance's Postgres is down while its instance manager still answers. If it was the primary, CloudNativePG has failed over already (else PostgresPrimaryUnavailable fires); either way the Cluster runs with one instance less, so one more failure is an outage.",
      confirm: `${switchover} \`kubectl logs <pod> -c postgres -n <namespace>\` (disk full? crash loop? pg_rewind failing?).`,
      act: '1. Fix the cause the log shows (a full volume: grow `postgres.storageGiB` in the stack; the operator resizes the PVCs). 2. An instance that cannot rejoin (diverged timeline, corrupt data): `kubectl cnpg destroy postgres <instance>`; the operator re-clones it from the primary. 3. Never delete the PVC of the only healthy instance.',
    },
  },
  {
    name: 'PostgresInstanceMissing',
    severity: 'warning',
    // The Cluster's spec.instances (kube-state-metrics) against the instances that report at all: a pod
    // that is gone, Pending or unscraped sends no series, so nothing of its own can fire. `or … * 0`
    // counts a Cluster whose every instance is silent as 0 reporting.
    expr: gt(
      binary(
        maxBy(['namespace', 'cluster'], specInstances),
        '-',
        or(
          aggregateBy('count', ['namespace', 'cluster'], series(external.cnpgCollectorUp)),
          binary(maxBy(['namespace', 'cluster'], specInstances), '*', 0),
          { on: ['namespace', 'cluster'] },
        ),
        { on: ['namespace', 'cluster'] },
      ),
      0,
    ),
    for: '10m',
    summary: 'A Postgres instance the Cluster asks for reports nothing at all (a standby is missing).',
    description:
      'Cluster {{ $labels.cluster }} in {{ $labels.namespace }} is missing {{ $value }} of the instances its spec asks for.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        "The Cluster's spec asks for more instances than send metrics. A standby that is gone entirely (its pod deleted and not rescheduled, Pending, or never created) has no series of its own, so PostgresInstanceDown and the lag alerts cannot see it. The Cluster runs without the standby: no failover target, and with synchronous replication (quorum of one standby, dataDurability required) one more lost standby stops every write.",
      confirm: `${switchover} \`kubectl get pods -l cnpg.io/cluster=postgres -n <namespace>\` (a missing or Pending instance); \`kubectl get cluster postgres -n <namespace>\` ("Ready instances" below "Instances"); the Prometheus targets page for the \`postgres\` PodMonitor (a running instance that is not scraped).`,
      act: "1. Pending: `kubectl describe pod <instance>`: the hard anti-affinity needs one node per instance and the zone spread a node in another zone; add a node or free one. 2. Pod gone and not recreated: read the operator log (`kubectl logs -n cnpg-system deploy/cloudnative-pg`); a PVC stuck on a lost node: `kubectl cnpg destroy postgres <instance>` and the operator re-clones a new instance from the primary. 3. Running but not scraped: fix the PodMonitor or the instances' network policy (Prometheus on 9187). 4. During a planned scale-up or a re-clone it fires only after 10 minutes; a clone of a large database may take longer: watch it progress with `kubectl cnpg status`.",
    },
  },
  {
    name: 'PostgresReplicaLagging',
    severity: 'warning',
    expr: gt(replicaLag.series(), 1),
    for: '5m',
    summary: 'A Postgres standby is more than 1 second behind the primary (or receives nothing).',
    description: 'Standby {{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary.',
    dashboard: DASHBOARD,
    runbook: lagRunbook,
  },
  {
    name: 'PostgresReplicaLagCritical',
    severity: 'critical',
    expr: gt(replicaLag.series(), 15),
    for: '2m',
    summary: 'A Postgres standby is more than 15 seconds behind the primary (or receives nothing).',
    description: 'Standby {{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary.',
    dashboard: DASHBOARD,
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
    dashboard: DASHBOARD,
    runbook: {
      meaning: 'Queries queue for a connection inside the app: latency rises everywhere, then requests time out.',
      confirm:
        'Panels "App pool usage" and "Query latency p95" on "HSC-JIT data stores". Slow queries hold connections longer: check `postgresql_query_duration_seconds`.',
      act: '1. Find slow queries (`pg_stat_activity`) and their cause. 2. Scale the gateway out only if Postgres max_connections allows it (pods × DATABASE_POOL_MAX; in prod the Pooler multiplexes them onto 2 × 20 server connections). 3. Raise DATABASE_POOL_MAX with care.',
    },
  },
];

export const postgresRules: ComponentRules = {
  group: 'hsc-jit.postgres',
  recordings: [poolUsage, replicaLag],
  alerts,
};

/** Recovery's side: WAL archiving, base backups and the weekly restore check (a group of their own). */
const backupAlerts: AlertDefinition[] = [
  {
    name: 'PostgresWalArchivingStuck',
    severity: 'critical',
    expr: gt(maxBy(['namespace', 'pod'], series(external.cnpgWalArchiveStatus, { value: 'ready' })), 10),
    for: '15m',
    summary: 'WAL segments are piling up unarchived: point-in-time recovery stops at the last archived one.',
    description: '{{ $value }} WAL segments on {{ $labels.pod }} wait to be archived to the object store.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        "The Barman Cloud Plugin cannot ship WAL to the object store (credentials, bucket, network, quota). Nothing is lost yet, but recovery (and the restore check) can only reach the last archived segment, and the primary's volume fills with WAL it must keep.",
      confirm:
        '`kubectl cnpg status postgres -n <namespace>` ("Continuous Backup status", last failed WAL); the plugin sidecar\'s log: `kubectl logs <primary pod> -c plugin-barman-cloud`; `kubectl get objectstore postgres-backups -o yaml` (status).',
      act: '1. Credentials rejected: rotate `backupAccessKeyId`/`backupSecretAccessKey` in Pulumi config and `pulumi up` (docs/operations.md, "Rotating a secret"). 2. Endpoint unreachable: the instances\' network policy allows only the endpoint\'s port; check `backups.endpointURL`. 3. Bucket full or gone: fix it on the storage side; archiving resumes by itself and the backlog drains.',
    },
  },
  {
    name: 'PostgresBackupTooOld',
    severity: 'critical',
    expr: gt(
      aggregateBy('min', ['namespace'], secondsSince(series(external.barmanLastAvailableBackupTimestamp))),
      26 * 3600,
    ),
    for: '30m',
    summary: 'The newest Postgres base backup is more than 26 hours old.',
    description: 'The newest base backup in {{ $labels.namespace }} is {{ $value | humanizeDuration }} old.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        'The daily ScheduledBackup has not produced a base backup. Recovery still works from an older one plus the WAL archive, but it replays more WAL (slower) and the 30-day window rests on fewer backups.',
      confirm:
        '`kubectl get backups -n <namespace> --sort-by=.metadata.creationTimestamp` (phase, error); `kubectl get scheduledbackup postgres-daily -o yaml`; `kubectl cnpg status postgres`.',
      act: "1. A failed Backup: its `status.error` and the plugin sidecar's log say why (often the same as PostgresWalArchivingStuck). 2. Take one now: `kubectl cnpg backup postgres --method plugin --plugin-name barman-cloud.cloudnative-pg.io -n <namespace>`. 3. Suspended schedule: `spec.suspend` must be false.",
    },
  },
  {
    name: 'PostgresRestoreCheckFailing',
    severity: 'critical',
    expr: gt(secondsSince(series(external.kubeCronjobStatusLastSuccessfulTime, { cronjob: RESTORE_CHECK })), 8 * DAY),
    for: '10m',
    summary: 'No weekly restore check has succeeded for 8 days: the backups are unproven.',
    description:
      'The last successful restore check in {{ $labels.namespace }} was {{ $value | humanizeDuration }} ago.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        'The CronJob postgres-restore-check restores the newest base backup and the archived WAL into a throwaway Cluster every week and asks it a question only a real copy can answer. It has not passed for more than a week: a restore in an emergency may fail the same way.',
      confirm:
        "1. `kubectl get jobs -l app.kubernetes.io/component=postgres-restore-check -n <namespace>` (the newest shows `0/1` and `Failed`). 2. `kubectl logs job/<newest> -n <namespace>`: a passing run ends `restore check passed`; a failing one prints a line `restore check FAILED: …` naming the cause, then `restore check: status of Cluster postgres-restore-check:` with the Cluster's phase and conditions, and the last 100 lines of the instance's log. 3. The failed run keeps the Cluster: `kubectl get cluster postgres-restore-check -n <namespace>`, `kubectl get pods -l cnpg.io/cluster=postgres-restore-check -n <namespace>` (the recovery pod is `postgres-restore-check-1-full-recovery-…`), `kubectl logs <that pod> -n <namespace>`.",
      act: "1. `restore check FAILED: Cluster postgres-restore-check never became Ready`: the recovery pod's log says why: a missing WAL segment (see PostgresWalArchivingStuck), no base backup (PostgresBackupTooOld), object-store credentials, or too little space (`backups.verification.storageGiB` must hold the database). 2. `restore check FAILED: the restored database does not hold what the live one does`: the restore worked but lacks the catalog or the migrations: compare with the live one and find when the backups stopped containing it. 3. `restore check FAILED: the query could not run on the restored database`: the instance's log (printed below the line) says why. 4. Once read, remove the kept Cluster (`kubectl delete cluster postgres-restore-check -n <namespace>`), or leave it to the next run. Run the check now: `kubectl create job --from=cronjob/postgres-restore-check restore-check-manual -n <namespace>`. 5. Until it passes, treat the backups as broken: take a `pg_dump` off-cluster as a stopgap.",
    },
  },
  {
    name: 'PostgresRestoreCheckNeverSucceeded',
    severity: 'warning',
    expr: binary(
      series(external.kubeCronjobStatusLastScheduleTime, { cronjob: RESTORE_CHECK }),
      'unless',
      series(external.kubeCronjobStatusLastSuccessfulTime, { cronjob: RESTORE_CHECK }),
      { on: ['namespace', 'cronjob'] },
    ),
    // Longer than the Job's deadline (restore timeout + 15 min): the first run has finished, and failed.
    for: '120m',
    summary: 'The restore check has run but never succeeded.',
    description: 'The restore check in {{ $labels.namespace }} has been scheduled and has no successful run yet.',
    dashboard: DASHBOARD,
    runbook: {
      meaning:
        'Since the stack was created no restore check has passed (kube-state-metrics has no last-success time to age, so PostgresRestoreCheckFailing cannot fire yet). The backups have never been proven restorable.',
      confirm: 'As for PostgresRestoreCheckFailing: the Jobs and their logs.',
      act: '1. Follow PostgresRestoreCheckFailing. 2. A brand-new stack may have no base backup yet when the first check runs: the ScheduledBackup takes one immediately; rerun the check once `kubectl get backups` shows it completed.',
    },
  },
];

export const postgresBackupRules: ComponentRules = {
  group: 'hsc-jit.postgres-backups',
  recordings: [],
  alerts: backupAlerts,
};
