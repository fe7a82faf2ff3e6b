/**
 * The environment of the app image (gateway and workers), from the stack and the data stores' construct
 * outputs, typed by the variables the app's config reads (`AppEnv`, app/config.ts). Plain settings are inline values (a change alters the pod template, so it rolls out by
 * itself); secrets are secretKeyRef references only.
 */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AppEnv } from '../app/config.js';
import type { StackConfig } from '../stacks/types.js';
import type { DatabaseEndpoints } from './postgres/cluster.js';
import { secrets } from './secrets.js';

/**
 * The app's programs, equal to the image targets' CMD (docker/app.Dockerfile): node runs the JavaScript the
 * image build compiled beside the sources, with no transpiler, npm or shell in between to swallow SIGTERM. Pods pass them as `args` (Kubernetes' CMD) and
 * compose as `command` (compose's CMD), so the image's ENTRYPOINT, `tini --`, runs them in both.
 */
export const appCommands = {
  gateway: ['node', 'app/main.js'],
  worker: ['node', 'app/worker.js'],
  migrate: ['node', 'app/migrate.js'],
} as const;

/** The release an image reference names: its tag, else its digest (`repo@sha256:…`); shown on dashboards as deploys. */
export function releaseOf(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  return tag ?? 'unknown';
}

export interface DataStoreEndpoints {
  /** host:port of every sentinel. */
  sentinels: string[];
  masterName: string;
  database: DatabaseEndpoints;
}

/**
 * Where the app's Postgres pools connect: URLs without credentials (plain values: a new Cluster after a
 * point-in-time recovery rolls out like any setting) and PGPASSWORD, which node-postgres reads when a URL
 * carries no password, from the Secret CloudNativePG manages. `direct` bypasses the Pooler (for a
 * migration's session advisory lock and long DDL).
 */
/** Where the app reads the CA of the Cluster's server certificate (DATABASE_CA_FILE), mounted from `<cluster>-ca`. */
export const DATABASE_CA_DIR = '/etc/postgres-ca';

/** The `<cluster>-ca` Secret's CA certificate, read-only at DATABASE_CA_DIR (only that key, not the CA's private key). */
export function databaseCaMount(scope: Construct, database: DatabaseEndpoints): kplus.VolumeMount {
  const secret = kplus.Secret.fromSecretName(scope, `secret-${database.ca.secret}`, database.ca.secret);
  const volume = kplus.Volume.fromSecret(scope, 'postgres-ca', secret, {
    name: 'postgres-ca',
    items: { [database.ca.key]: { path: database.ca.key } },
  });
  return { path: DATABASE_CA_DIR, volume, readOnly: true };
}

export function databaseEnvironment(
  scope: Construct,
  database: DatabaseEndpoints,
  via: 'app' | 'direct' = 'app',
): AppEnv<kplus.EnvValue> {
  const { secret, key } = database.password;
  return {
    DATABASE_URL: kplus.EnvValue.fromValue(via === 'app' ? database.url : database.directUrl),
    ...(database.replicaUrl ? { DATABASE_REPLICA_URL: kplus.EnvValue.fromValue(database.replicaUrl) } : {}),
    DATABASE_STATEMENT_TIMEOUT_MS: kplus.EnvValue.fromValue(String(database.statementTimeoutMs)),
    // verify-full TLS to the instances and the Pooler (databaseCaMount puts the file there).
    DATABASE_CA_FILE: kplus.EnvValue.fromValue(`${DATABASE_CA_DIR}/${database.ca.key}`),
    PGPASSWORD: kplus.EnvValue.fromSecretValue({
      secret: kplus.Secret.fromSecretName(scope, `secret-${secret}-${key}`, secret),
      key,
    }),
  };
}

export function appEnvironment(
  scope: Construct,
  stack: StackConfig,
  stores: DataStoreEndpoints,
  drainSeconds: number,
): AppEnv<kplus.EnvValue> {
  const fromSecret = (name: string, key: string) =>
    kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(scope, `secret-${name}-${key}`, name), key });
  const env: AppEnv<kplus.EnvValue> = {
    NODE_ENV: kplus.EnvValue.fromValue('production'),
    LOG_LEVEL: kplus.EnvValue.fromValue(stack.gateway.logLevel),
    DATA_DIR: kplus.EnvValue.fromValue('/tmp/data'),
    DRAIN_SECONDS: kplus.EnvValue.fromValue(String(drainSeconds)),
    ...databaseEnvironment(scope, stores.database),
    // The migration Job applies migrations before a rollout; pods only check the schema.
    MIGRATE_ON_START: kplus.EnvValue.fromValue('false'),
    REDIS_SENTINELS: kplus.EnvValue.fromValue(stores.sentinels.join(',')),
    REDIS_MASTER_NAME: kplus.EnvValue.fromValue(stores.masterName),
    REDIS_PASSWORD: fromSecret(secrets.redis.name, secrets.redis.keys.password),
    REDIS_SENTINEL_PASSWORD: fromSecret(secrets.redis.name, secrets.redis.keys.sentinelPassword),
    MANUAL_HOSTS: kplus.EnvValue.fromValue(stack.manualHosts.join(',')),
    // Demo manuals are for `npm start` on a laptop; in a cluster manuals come from the catalog's URLs.
    DEMO_MANUALS: kplus.EnvValue.fromValue('false'),
    // Behind the ingress (one proxy): the client address is the X-Forwarded-For hop it added.
    TRUST_PROXY: kplus.EnvValue.fromValue('1'),
    RETENTION_DAYS: kplus.EnvValue.fromValue(String(stack.retentionDays)),
    // hsc_jit_build_info{version} and Sentry's release: a deploy shows on every dashboard.
    APP_RELEASE: kplus.EnvValue.fromValue(releaseOf(stack.images.gateway)),
  };
  if (stack.features.llm) {
    env.LLM_BASE_URL = kplus.EnvValue.fromValue(stack.llm.baseUrl);
    env.LLM_MODEL = kplus.EnvValue.fromValue(stack.llm.model);
    env.LLM_API_KEY = fromSecret(secrets.llm.name, secrets.llm.keys.apiKey);
  }
  if (stack.features.errorReporting) env.SENTRY_DSN = fromSecret(secrets.sentry.name, secrets.sentry.keys.dsn);
  return env;
}
