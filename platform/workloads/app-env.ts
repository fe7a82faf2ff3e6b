/**
 * The environment of each of the app's programs for a stack, in one place: `gatewayEnv`, `workersEnv` and
 * `migrateEnv` for the cluster, `composeEnv` for compose. Each is a pure function of the stack (and the
 * data stores' endpoints) typed by the variables the app reads (`AppEnv`, app/shared/config.ts); the constructs
 * and compose only turn its entries into their own form (`kplusEnv`, `podEnv`, plain strings).
 *
 * An environment is what the platform derives (addresses, ports, the drain, secrets, cluster-wide
 * choices) followed by the stack's own settings for that program (`StackConfig.settings`). Plain values
 * are inline (a change alters the pod template, so it rolls out by itself); a secret is only ever a
 * reference to a Secret's key.
 */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import {
  type AppEnv,
  type AppSettings,
  formatSetting,
  type SettingName,
  settingList,
  settingProblem,
} from '../../app/shared/config.js';
import type { StackConfig } from '../../stacks/types.js';
import { port } from '../cluster/graph.js';
import type { DatabaseEndpoints } from '../cluster/postgres/cluster.js';
import { secrets } from '../k8s/secrets.js';

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

/** The app's programs as a stack configures them (`StackConfig.settings`). */
export type AppComponent = 'gateway' | 'workers' | 'migrate';

/** Where a variable's value comes from: a plain value, or a key of a Secret (the value never leaves the cluster). */
export type EnvSource = string | { secret: string; key: string };
export type ComponentEnv = AppEnv<EnvSource>;

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

/**
 * The stack's settings for `component` (its shared ones, then its own), as environment strings. Each is
 * checked with the app's own parser, so a bad value fails synth naming the stack, the program and the
 * variable instead of a pod's start.
 */
export function stackSettings(stack: StackConfig, component: AppComponent): AppEnv {
  const chosen: AppSettings = { ...stack.settings.shared, ...stack.settings[component] };
  const env: AppEnv = {};
  for (const [name, value] of Object.entries(chosen) as Array<[SettingName, unknown]>) {
    if (value === undefined) continue;
    if (settingList.find((s) => s.env === name)?.secret)
      throw new Error(`stacks/${stack.name}.ts settings for ${component}: ${name} comes only from a Secret`);
    const raw = formatSetting(value);
    const problem = settingProblem(name, raw);
    if (problem) throw new Error(`stacks/${stack.name}.ts settings for ${component}: ${problem}`);
    env[name] = raw;
  }
  return env;
}

/**
 * What the platform derives, then the stack's settings. A stack may not set what the platform derives:
 * an address or a port set twice would leave the Services, probes and policies pointing elsewhere.
 */
function withStackSettings<V extends EnvSource>(
  stack: StackConfig,
  component: AppComponent,
  derived: AppEnv<V>,
): AppEnv<V | string> {
  const own = stackSettings(stack, component);
  const clash = Object.keys(own).filter((name) => name in derived);
  if (clash.length > 0)
    throw new Error(
      `stacks/${stack.name}.ts settings for ${component}: ${clash.join(', ')} ${clash.length > 1 ? 'are' : 'is'} set by the platform (platform/workloads/app-env.ts), not by a stack`,
    );
  return { ...derived, ...own };
}

/**
 * Where the app's Postgres pools connect: URLs without credentials (plain values: a new Cluster after a
 * point-in-time recovery rolls out like any setting) and PGPASSWORD, which node-postgres reads when a URL
 * carries no password, from the Secret CloudNativePG manages. `direct` is a session straight to `-rw`,
 * bypassing the Pooler, for a migration's session advisory lock and long DDL: no replica and no statement
 * timeout there.
 */
export function databaseEnv(database: DatabaseEndpoints, via: 'app' | 'direct'): ComponentEnv {
  return {
    DATABASE_URL: via === 'app' ? database.url : database.directUrl,
    ...(via === 'app' && database.replicaUrl ? { DATABASE_REPLICA_URL: database.replicaUrl } : {}),
    ...(via === 'app' ? { DATABASE_STATEMENT_TIMEOUT_MS: String(database.statementTimeoutMs) } : {}),
    // verify-full TLS to the instances and the Pooler (databaseCaMount puts the file there).
    DATABASE_CA_FILE: `${DATABASE_CA_DIR}/${database.ca.key}`,
    PGPASSWORD: database.password,
  };
}

/** What the gateway and the workers share in the cluster. */
function clusterEnv(stack: StackConfig, stores: DataStoreEndpoints, drainSeconds: number): ComponentEnv {
  const env: ComponentEnv = {
    NODE_ENV: 'production',
    DATA_DIR: '/tmp/data',
    DRAIN_SECONDS: String(drainSeconds),
    ...databaseEnv(stores.database, 'app'),
    // The migration Job applies migrations before a rollout; pods only check the schema.
    MIGRATE_ON_START: 'false',
    REDIS_SENTINELS: stores.sentinels.join(','),
    REDIS_MASTER_NAME: stores.masterName,
    REDIS_PASSWORD: { secret: secrets.redis.name, key: secrets.redis.keys.password },
    REDIS_SENTINEL_PASSWORD: { secret: secrets.redis.name, key: secrets.redis.keys.sentinelPassword },
    // The internal listeners (metrics, admin API; the worker's probes) default to loopback: in a pod the
    // kubelet's probes and Prometheus' scrapes come to the pod IP, and NetworkPolicies guard that port.
    INTERNAL_HOST: '0.0.0.0',
    // Demo manuals are for `npm start` on a laptop; in a cluster manuals come from the catalog's URLs.
    DEMO_MANUALS: 'false',
    // Behind the ingress (one proxy): the client address is the X-Forwarded-For hop it added.
    TRUST_PROXY: '1',
    // hsc_jit_build_info{version} and Sentry's release: a deploy shows on every dashboard.
    APP_RELEASE: releaseOf(stack.images.gateway),
  };
  if (stack.features.llm) {
    env.LLM_BASE_URL = stack.llm.baseUrl;
    env.LLM_MODEL = stack.llm.model;
    env.LLM_API_KEY = { secret: secrets.llm.name, key: secrets.llm.keys.apiKey };
  }
  if (stack.features.errorReporting) env.SENTRY_DSN = { secret: secrets.sentry.name, key: secrets.sentry.keys.dsn };
  return env;
}

export function gatewayEnv(stack: StackConfig, stores: DataStoreEndpoints): ComponentEnv {
  const env = clusterEnv(stack, stores, stack.gateway.drainSeconds);
  env.PORT = String(port('gateway', 'http'));
  env.INTERNAL_PORT = String(port('gateway', 'internal'));
  if (stack.features.adminApi) env.ADMIN_TOKEN = { secret: secrets.admin.name, key: secrets.admin.keys.token };
  return withStackSettings(stack, 'gateway', env);
}

export function workersEnv(stack: StackConfig, stores: DataStoreEndpoints): ComponentEnv {
  const env = clusterEnv(stack, stores, stack.workers.drainSeconds);
  env.WORKER_PORT = String(port('workers', 'metrics'));
  return withStackSettings(stack, 'workers', env);
}

/** The migration Job: straight to `-rw`, never the Pooler (the session advisory lock and long DDL need a session). */
export function migrateEnv(stack: StackConfig, database: DatabaseEndpoints): ComponentEnv {
  return withStackSettings(stack, 'migrate', { NODE_ENV: 'production', ...databaseEnv(database, 'direct') });
}

/**
 * Compose's gateway or worker: one Postgres and one Redis on trust auth (no secret is needed or
 * written), migrations applied at start, demo manuals on; the stack's settings as in the cluster.
 */
export function composeEnv(stack: StackConfig, component: 'gateway' | 'workers'): AppEnv {
  const pg = stack.postgres;
  const env: AppEnv = {
    NODE_ENV: 'development',
    DATABASE_URL: `postgres://${pg.owner}@postgres:${port('postgres', 'postgres')}/${pg.database}`,
    REDIS_URL: `redis://redis:${port('redis', 'redis')}`,
  };
  if (component === 'gateway') {
    env.PORT = String(port('gateway', 'http'));
    env.INTERNAL_PORT = String(port('gateway', 'internal'));
  } else env.WORKER_PORT = String(port('workers', 'metrics'));
  env.DRAIN_SECONDS = String(stack[component].drainSeconds);
  return withStackSettings(stack, component, env);
}

/** An environment as cdk8s-plus takes it: plain values inline, secrets as secretKeyRef. */
export function kplusEnv(scope: Construct, env: ComponentEnv): Record<string, kplus.EnvValue> {
  return Object.fromEntries(
    Object.entries(env).map(([name, source]) => [
      name,
      typeof source === 'string'
        ? kplus.EnvValue.fromValue(source)
        : kplus.EnvValue.fromSecretValue({
            secret: kplus.Secret.fromSecretName(scope, `secret-${source.secret}-${source.key}`, source.secret),
            key: source.key,
          }),
    ]),
  );
}

/** An environment as a pod spec writes it (for the L1 Job): plain values inline, secrets as secretKeyRef. */
export function podEnv(env: ComponentEnv): kplus.k8s.EnvVar[] {
  return Object.entries(env).map(([name, source]) =>
    typeof source === 'string'
      ? { name, value: source }
      : { name, valueFrom: { secretKeyRef: { name: source.secret, key: source.key } } },
  );
}
