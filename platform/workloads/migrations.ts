/**
 * The migration Job: the release step that applies schema migrations (`npm run migrate`'s program, the
 * app image of the release). For Argo CD it is an ordinary Sync-phase object in the release wave, after
 * the Cluster is healthy and beside the Deployments (platform/cluster/sync-order.ts): the new pods run with
 * MIGRATE_ON_START=false, refuse a schema older than theirs and start once the Job has applied it, and a
 * rollback to an image whose schema is applied starts at once instead of waiting on a migration (a
 * PreSync hook ran before everything, on every sync, and held a rollback for as long as Postgres was
 * down). The Pulumi program creates it before the Deployments, which depend on it (pulumi/program.ts).
 *
 * A Job's pod template is immutable, so the Job is named by what it runs: `migrate-<schema version>-<hash
 * of its spec>`. A release that changes the image gets a new Job (the migration, already applied, is a
 * no-op); the previous one is pruned after the sync. An unchanged release leaves the completed Job alone.
 */
import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ImageRef, Resources } from '../../stacks/types.js';
import { APP_UID } from './app-image.js';
import { appCommands, type ComponentEnv, DATABASE_CA_DIR, podEnv } from './app-env.js';
import { defaultEmptyDirSizeLimit, imagePullPolicy, priorityClassName, tierOfKind } from '../k8s/hygiene.js';
import { componentLabels, type StackIdentity } from '../k8s/labels.js';
import type { DatabaseEndpoints } from '../cluster/postgres/cluster.js';
import { l1Resources } from '../k8s/resources.js';
import { l1RestrictedContainer, l1RestrictedPod } from '../k8s/security.js';

export const MIGRATION_COMPONENT = 'migrations';
const MIGRATION_ACCOUNT = 'migrate';
/** The longest a release's migrations may take before the Job (and the sync or `pulumi up`) fails. */
export const MIGRATION_DEADLINE_SECONDS = 30 * 60;

/** `migrate-<leading number of the schema version>-<8 hex of the spec>`: a DNS label, unique per pod template. */
export function migrationJobName(schemaVersion: string, spec: object): string {
  const ordinal = /^\d+/.exec(schemaVersion)?.[0];
  if (!ordinal) throw new Error(`schema version "${schemaVersion}" does not start with its number`);
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
  return `migrate-${ordinal}-${hash}`;
}

export interface MigrationJobProps {
  /** The stack's name: labels and the priority class. */
  readonly stack: Pick<StackIdentity, 'name'>;
  /** The release's app image (the gateway's: the same build, with the migrations beside the code). */
  readonly image: ImageRef;
  /** The migration's environment (app-env.ts, `migrateEnv`): straight to `-rw`, never the Pooler. */
  readonly env: ComponentEnv;
  /** The database it migrates: its CA is mounted for verify-full TLS. */
  readonly database: DatabaseEndpoints;
  readonly resources: Resources;
  /** The schema version the Job applies; it names the Job (migrationJobName). */
  readonly schemaVersion: string;
}

export class MigrationJob extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const labels = componentLabels(props.stack, MIGRATION_COMPONENT);
    // Its own account, named once (not after the Job, which is renamed every release), without an API token.
    new kplus.k8s.KubeServiceAccount(this, 'account', {
      metadata: { name: MIGRATION_ACCOUNT, labels },
      automountServiceAccountToken: false,
    });
    const spec = this.spec(props, labels);
    this.name = migrationJobName(props.schemaVersion, spec);
    new kplus.k8s.KubeJob(this, 'job', {
      metadata: {
        name: this.name,
        labels,
        annotations: {
          'hsc-jit.halilit.example/schema-version': props.schemaVersion,
          // Pulumi: a Job that failed is replaced on the next `pulumi up` instead of awaited again.
          'pulumi.com/replaceUnready': 'true',
        },
      },
      spec,
    });
  }

  /** The whole Job spec, hygiene included: the Job's name is a hash of all of it. */
  private spec(props: MigrationJobProps, labels: Record<string, string>) {
    const { database } = props;
    return {
      // Retries with backoff cover a primary that is failing over or still starting.
      backoffLimit: 6,
      activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: MIGRATION_ACCOUNT,
          automountServiceAccountToken: false,
          priorityClassName: priorityClassName(props.stack, tierOfKind.Job!),
          securityContext: l1RestrictedPod(APP_UID),
          containers: [
            {
              name: 'migrate',
              image: props.image,
              imagePullPolicy,
              securityContext: l1RestrictedContainer,
              // `args`: the image's ENTRYPOINT (tini) stays PID 1, as in the gateway and workers.
              args: [...appCommands.migrate],
              // Straight to -rw, never the Pooler: the session advisory lock and long DDL need a session.
              env: podEnv(props.env),
              resources: l1Resources(props.resources),
              // /tmp is the one writable path (TMPDIR): the root filesystem is read-only.
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'postgres-ca', mountPath: DATABASE_CA_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString(defaultEmptyDirSizeLimit) } },
            {
              name: 'postgres-ca',
              secret: {
                secretName: database.ca.secret,
                items: [{ key: database.ca.key, path: database.ca.key }],
              },
            },
          ],
        },
      },
    } satisfies kplus.k8s.JobSpec;
  }
}
