/**
 * The scheduled Postgres backup: a CronJob that runs scripts/pg-backup.sh, the very script the backup
 * verification test (test/resilience/backup.test.ts) restores from, read at synth time into a ConfigMap so
 * there is one copy. It dumps the streaming replica (postgres-ro, see the edge in graph.ts) with the
 * postgres image the StatefulSets run (same pg_dump major as the server), onto its own PVC, and prunes
 * dumps older than the stack's keepDays after each successful run.
 */
import { readFileSync } from 'node:fs';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StackConfig } from '../../stacks/types.js';
import { port } from '../graph.js';
import { dataVolumeClaim } from '../persistence.js';
import { commonLabels, componentLabels, serviceHost } from '../labels.js';
import { l1Resources } from '../resources.js';
import { secrets } from '../secrets.js';
import { l1RestrictedContainer, l1RestrictedPod } from '../security.js';

export const pgBackupScript = readFileSync(new URL('../../scripts/pg-backup.sh', import.meta.url), 'utf8');

const COMPONENT = 'postgres-backup';
const UID = 999; // the postgres user of the official Debian image, as in the StatefulSets
const SCRIPT_DIR = '/scripts';
const BACKUP_DIR = '/backups';
/** A dump that has not finished in this long is hung: fail it, or concurrencyPolicy Forbid would block every later run. */
const DEADLINE_SECONDS = 4 * 3600;

/**
 * Back up, then prune. Pruning only after a successful backup: a run of failures never deletes the last
 * good dumps. `-mtime +N` also removes a failed run's leftover `.partial`.
 */
const RUN = [
  'set -eu',
  `bash ${SCRIPT_DIR}/pg-backup.sh backup "$BACKUP_URL" ${BACKUP_DIR}`,
  `find ${BACKUP_DIR} -maxdepth 1 -name 'hsc-jit-*' -mtime "+$KEEP_DAYS" -print -delete`,
].join('\n');

export class PostgresBackup extends Construct {
  readonly cronJobName = COMPONENT;
  readonly claimName = 'postgres-backups';

  constructor(scope: Construct, id: string, props: { stack: StackConfig; readOnlyService: string }) {
    super(scope, id);
    const { stack } = props;
    const b = stack.backups;
    const pg = stack.postgres;
    const labels = componentLabels(stack, COMPONENT);
    const config = new kplus.ConfigMap(this, 'script', {
      metadata: { name: COMPONENT, labels: commonLabels(stack) },
      data: { 'pg-backup.sh': pgBackupScript },
    });
    new kplus.k8s.KubePersistentVolumeClaim(this, 'claim', {
      metadata: { name: this.claimName, labels },
      spec: dataVolumeClaim(stack.storageClass, b.storageGiB).spec,
    });
    // The URL carries no password: the script's contract is PGPASSWORD, never a secret on a command line
    // (pg_dump's argv is readable in /proc). The app role owns the database, so it can dump all of it.
    const url = `postgresql://${pg.user}@${serviceHost(stack, props.readOnlyService)}:${port('postgres-replica', 'postgres')}/${pg.database}`;
    new kplus.k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name: COMPONENT, labels },
      spec: {
        schedule: b.schedule,
        timeZone: 'Etc/UTC',
        // Two dumps at once only double the load; a late run is skipped, the next one starts on time.
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: DEADLINE_SECONDS,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                securityContext: l1RestrictedPod(UID),
                containers: [
                  {
                    name: 'backup',
                    image: stack.images.postgres,
                    imagePullPolicy: 'IfNotPresent',
                    securityContext: l1RestrictedContainer,
                    command: ['bash', '-c', RUN],
                    env: [
                      { name: 'BACKUP_URL', value: url },
                      {
                        name: 'PGPASSWORD',
                        valueFrom: { secretKeyRef: { name: secrets.postgres.name, key: secrets.postgres.keys.app } },
                      },
                      { name: 'KEEP_DAYS', value: String(b.keepDays) },
                    ],
                    resources: l1Resources(b.resources),
                    volumeMounts: [
                      { name: 'backups', mountPath: BACKUP_DIR },
                      { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'backups', persistentVolumeClaim: { claimName: this.claimName } },
                  { name: 'script', configMap: { name: config.name, defaultMode: 0o444 } },
                  { name: 'tmp', emptyDir: {} },
                ],
              },
            },
          },
        },
      },
    });
  }
}
