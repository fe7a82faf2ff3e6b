/**
 * The migration Job: the release step that applies schema migrations (`npm run migrate`'s program, the
 * app image of the release) before the new gateway and worker pods start. Argo CD runs it as a PreSync
 * hook (a failed Job fails the sync, so nothing rolls out); the Pulumi program creates it before the
 * Deployments, which depend on it (platform/pulumi/program.ts). The pods themselves run with
 * MIGRATE_ON_START=false and only check the schema.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AppEnvName } from '../app/config.js';
import type { StackConfig } from '../stacks/types.js';
import type { DatabaseEndpoints } from './postgres/cluster.js';
import { appCommands, DATABASE_CA_DIR } from './app-env.js';
import { componentLabels } from './labels.js';
import { l1Resources } from './resources.js';
import { l1RestrictedContainer, l1RestrictedPod } from './security.js';

export const MIGRATION_JOB_NAME = 'migrate';
/** The longest a release's migrations may take before the Job (and the sync or `pulumi up`) fails. */
export const MIGRATION_DEADLINE_SECONDS = 30 * 60;

export class MigrationJob extends Construct {
  readonly name = MIGRATION_JOB_NAME;

  constructor(scope: Construct, id: string, props: { stack: StackConfig; database: DatabaseEndpoints }) {
    super(scope, id);
    const { stack } = props;
    const labels = componentLabels(stack, 'migrations');
    new kplus.k8s.KubeJob(this, 'job', {
      metadata: {
        name: this.name,
        labels,
        annotations: {
          'argocd.argoproj.io/hook': 'PreSync',
          // The previous run is kept (its logs) until the next sync replaces it.
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
          // Pulumi: a Job that failed is replaced on the next `pulumi up` instead of awaited again.
          'pulumi.com/replaceUnready': 'true',
        },
      },
      spec: {
        // Retries with backoff cover a primary that is failing over or still starting.
        backoffLimit: 6,
        activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: l1RestrictedPod(10001),
            containers: [
              {
                name: 'migrate',
                image: stack.images.gateway,
                securityContext: l1RestrictedContainer,
                // `args`: the image's ENTRYPOINT (tini) stays PID 1, as in the gateway and workers.
                args: [...appCommands.migrate],
                env: [
                  { name: 'NODE_ENV', value: 'production' },
                  { name: 'LOG_LEVEL', value: stack.gateway.logLevel },
                  // Straight to -rw, never the Pooler: the session advisory lock and long DDL need a session.
                  { name: 'DATABASE_URL', value: props.database.directUrl },
                  { name: 'DATABASE_CA_FILE', value: `${DATABASE_CA_DIR}/${props.database.ca.key}` },
                  {
                    name: 'PGPASSWORD',
                    valueFrom: {
                      secretKeyRef: { name: props.database.password.secret, key: props.database.password.key },
                    },
                  },
                ] satisfies Array<{ name: AppEnvName; value?: string; valueFrom?: object }>,
                resources: l1Resources(stack.workers.resources),
                // /tmp is the one writable path (TMPDIR): the root filesystem is read-only.
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'postgres-ca', mountPath: DATABASE_CA_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              {
                name: 'postgres-ca',
                secret: {
                  secretName: props.database.ca.secret,
                  items: [{ key: props.database.ca.key, path: props.database.ca.key }],
                },
              },
            ],
          },
        },
      },
    });
  }
}
