/**
 * The environment contract between the platform and the app: every environment the platform renders for
 * the app image (the gateway and worker Deployments, the migration Job, compose's gateway and worker) is
 * run through the app's own config loader. Secrets are references in the rendered tree; here each is
 * replaced by a placeholder of the shape the loader expects, since only the cluster holds the values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireBinary } from '../../test/harness/index.js';
import { APP_ENV_NAMES, loadConfig, type AppConfig } from '../../app/shared/config.js';
import { stacks } from '../render/stacks.js';
import type { StackConfig } from '../../stacks/types.js';
import { defineStack } from '../../stacks/defaults.js';
import { withImages } from '../render/stacks.js';
import { appCommands, composeEnv, gatewayEnv, migrateEnv, workersEnv } from './app-env.js';
import { synthObjects, type KubeObject } from '../render/build-stack.js';
import { renderCompose } from '../render/compose.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodSpec {
  containers?: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string } }>;
}

/** What a secret holds, in the shape the loader checks (a DSN, a 32-character token); any string elsewhere. */
const SECRET_PLACEHOLDERS: Record<string, string> = {
  SENTRY_DSN: 'https://public-key@sentry.invalid/1',
  ADMIN_TOKEN: 'a-placeholder-admin-token-of-32-chars',
};

/**
 * A file the pod reads from a mounted Secret (the database CA) exists only in the cluster: here it is a
 * real certificate made with openssl, so the loader's own check of the file's content runs.
 */
let scratch: string;
const FILE_PLACEHOLDERS: Record<string, () => string> = {
  DATABASE_CA_FILE: () => join(scratch, 'ca.crt'),
};
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'app-env-'));
  const openssl = requireBinary('openssl', 'openssl');
  const subject = ['-subj', '/CN=placeholder-ca', '-keyout', 'ca.key', '-out', 'ca.crt'];
  execFileSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', ...subject], {
    cwd: scratch,
    stdio: 'ignore',
  });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The path a value names inside one of the container's read-only Secret mounts, if any. */
function secretMountOf(container: Container, pod: PodSpec, value: string): string | undefined {
  return container.volumeMounts?.find(
    (mount) =>
      value.startsWith(`${mount.mountPath}/`) &&
      mount.readOnly === true &&
      pod.volumes?.some((volume) => volume.name === mount.name && volume.secret !== undefined),
  )?.mountPath;
}

function envOf(container: Container, pod: PodSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const file = FILE_PLACEHOLDERS[variable.name];
    if (file && variable.value !== undefined) {
      expect(
        secretMountOf(container, pod, variable.value),
        `${container.name}: ${variable.name} in a Secret mount`,
      ).toBeDefined();
      env[variable.name] = file();
    } else if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) env[variable.name] = SECRET_PLACEHOLDERS[variable.name] ?? 'placeholder';
    else throw new Error(`${container.name}: ${variable.name} has neither a value nor a secret reference`);
  }
  return env;
}

const programs = Object.entries(appCommands).map(([program, command]) => ({ program, args: command.join(' ') }));

/** Every container running one of the app's programs, named by object and program. */
function appContainers(objects: readonly KubeObject[]): Array<{ where: string; env: Record<string, string> }> {
  const found: Array<{ where: string; env: Record<string, string> }> = [];
  for (const object of objects) {
    const pod = (object as { spec?: { template?: { spec?: PodSpec } } }).spec?.template?.spec ?? {};
    for (const container of pod.containers ?? []) {
      const program = programs.find((p) => p.args === (container.args ?? []).join(' '))?.program;
      if (program)
        found.push({ where: `${object.kind}/${object.metadata?.name} (${program})`, env: envOf(container, pod) });
    }
  }
  return found;
}

/** The stack with every optional feature on, so the variables only they add are checked too. */
const allFeatures = (stack: StackConfig): StackConfig => ({
  ...stack,
  features: { llm: true, errorReporting: true, adminApi: true },
});

function expectLoads(env: Record<string, string>): AppConfig {
  const unknown = Object.keys(env).filter((name) => !APP_ENV_NAMES.has(name as never));
  expect(unknown, 'variables the app does not read (a typo falls back to a default)').toEqual([]);
  return loadConfig(env);
}

/** The environment of the one container of `where` (`Kind/name`; the migration Job by its prefix) in the stack's render. */
function containerEnv(stack: StackConfig, where: string): Record<string, string> {
  const found = appContainers(synthObjects(stack).topology).find((c) =>
    c.where.replace(/^Job\/migrate-\d+-[0-9a-f]{8} /, 'Job/migrate ').startsWith(`${where} `),
  );
  if (!found) throw new Error(`${where} not rendered`);
  return found.env;
}

describe('the environment the platform renders for the app', () => {
  for (const stack of Object.values(stacks)) {
    for (const [variant, config] of [
      ['as configured', stack],
      ['with every feature on', allFeatures(stack)],
    ] as const) {
      it(`${stack.name} ${variant}: the gateway, the workers and the migration Job load it`, () => {
        const containers = appContainers(synthObjects(config).topology);
        expect(containers.map((c) => c.where.replace(/^Job\/migrate-\d+-[0-9a-f]{8} /, 'Job/migrate ')).sort()).toEqual(
          ['Deployment/gateway (gateway)', 'Deployment/workers (worker)', 'Job/migrate (migrate)'],
        );
        for (const { where, env } of containers) {
          const loaded = expectLoads(env);
          // The cluster never runs on embedded defaults: a dropped variable would fall back to them.
          expect(loaded.database.kind, where).toBe('postgres');
          if (!where.includes('migrate')) expect(loaded.redis.kind, where).toBe('sentinel');
          if (where.includes('gateway'))
            expect(loaded.server.adminToken !== undefined, where).toBe(config.features.adminApi);
          if (!where.includes('migrate')) expect(loaded.answers.llm !== undefined, where).toBe(config.features.llm);
          // Probes and Prometheus reach the internal listeners on the pod IP, not on loopback (the default).
          if (!where.includes('migrate')) expect(loaded.server.internalHost, where).toBe('0.0.0.0');
        }
      });
    }
  }

  it("compose's gateway and worker load theirs", () => {
    const compose = parse(renderCompose(stacks.dev)) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    for (const service of ['gateway', 'worker']) {
      const loaded = expectLoads(compose.services[service]?.environment ?? {});
      expect(loaded.database.kind, service).toBe('postgres');
      expect(loaded.redis.kind, service).toBe('url');
    }
  });

  it("renders a stack's settings for the program they are given to, and its shared ones for every program", () => {
    const stack = withImages(
      defineStack('dev', {
        settings: {
          shared: { LOG_LEVEL: 'warn' },
          gateway: { MANUAL_PREFETCH_CONFIDENCE: 0.75, WS_RATE_PER_SECOND: 20, MANUAL_QUEUE_MAX: 50 },
          workers: { WORKER_CONCURRENCY: 4 },
        },
      }),
    );
    const gateway = containerEnv(stack, 'Deployment/gateway');
    expect(gateway).toMatchObject({ LOG_LEVEL: 'warn', MANUAL_PREFETCH_CONFIDENCE: '0.75', WS_RATE_PER_SECOND: '20' });
    const config = expectLoads(gateway);
    expect(config.manuals.prefetchConfidence).toBe(0.75);
    expect(config.manuals.queueMax).toBe(50);
    const workers = containerEnv(stack, 'Deployment/workers');
    expect(workers).toMatchObject({ LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '4' });
    expect(workers.MANUAL_PREFETCH_CONFIDENCE).toBeUndefined();
    expect(containerEnv(stack, 'Job/migrate').LOG_LEVEL).toBe('warn');
    // Compose's programs get the same settings as the cluster's.
    expect(composeEnv(stack, 'gateway')).toMatchObject({ LOG_LEVEL: 'warn', MANUAL_PREFETCH_CONFIDENCE: '0.75' });
    expect(composeEnv(stack, 'workers')).toMatchObject({ WORKER_CONCURRENCY: '4' });
  });

  it('refuses a stack setting the app would refuse, naming the stack, the program and the variable', () => {
    const stack = withImages(defineStack('dev', { settings: { gateway: { WS_MAX_CONNECTIONS: 0 } } }));
    expect(() => synthObjects(stack)).toThrow(
      /stacks\/dev\.ts settings for gateway: WS_MAX_CONNECTIONS: expected a whole number from 1 to 1000000 \(got "0"\)/,
    );
  });

  it("types a stack's settings by the app's schema: names, values, and no secret as a plain value", () => {
    const bad = [
      // @ts-expect-error a misspelt name is no setting
      () => defineStack('dev', { settings: { gateway: { WS_MAX_CONECTIONS: 10 } } }),
      // @ts-expect-error LOG_LEVEL is one of the pino levels
      () => defineStack('dev', { settings: { shared: { LOG_LEVEL: 'loud' } } }),
      // @ts-expect-error a number setting takes a number
      () => defineStack('dev', { settings: { gateway: { MANUAL_PREFETCH_CONFIDENCE: '0.8' } } }),
      // @ts-expect-error a secret comes from a Secret, never from a stack file
      () => defineStack('dev', { settings: { gateway: { ADMIN_TOKEN: 'a-token-that-would-land-in-git-000000' } } }),
    ];
    // tsc checks the lines above; a stack that gets past it anyway (a cast, plain JavaScript) is refused at synth.
    expect(() => synthObjects(withImages(bad[1]!()))).toThrow(/LOG_LEVEL: expected one of/);
    expect(() => synthObjects(withImages(bad[3]!()))).toThrow(/ADMIN_TOKEN comes only from a Secret/);
  });

  it('refuses a stack setting what the platform derives', () => {
    const stack = withImages(defineStack('dev', { settings: { workers: { WORKER_PORT: 9999, DRAIN_SECONDS: 3 } } }));
    expect(() => composeEnv(stack, 'workers')).toThrow(
      /settings for workers: WORKER_PORT, DRAIN_SECONDS are set by the platform/,
    );
  });

  it('gives every secret as a reference to a Secret, never a value, in every program', () => {
    const stack = allFeatures(stacks.prod);
    const stores = {
      sentinels: ['redis-0:26379'],
      masterName: 'main',
      database: {
        url: 'postgresql://app@pooler:5432/db',
        directUrl: 'postgresql://app@rw:5432/db',
        replicaUrl: undefined,
        password: { secret: 'postgres-app', key: 'password' },
        ca: { secret: 'postgres-ca', key: 'ca.crt' },
        statementTimeoutMs: 5000,
      },
    };
    const secretNames = [
      'PGPASSWORD',
      'REDIS_PASSWORD',
      'REDIS_SENTINEL_PASSWORD',
      'LLM_API_KEY',
      'SENTRY_DSN',
      'ADMIN_TOKEN',
    ];
    for (const env of [gatewayEnv(stack, stores), workersEnv(stack, stores), migrateEnv(stack, stores.database)])
      for (const [name, source] of Object.entries(env))
        expect(typeof source === 'string', name).toBe(!secretNames.includes(name));
    expect(Object.keys(gatewayEnv(stack, stores))).toEqual(expect.arrayContaining(secretNames));
  });

  it('catches a variable the app does not read', () => {
    expect(() => expectLoads({ NODE_ENV: 'production', WS_MAX_CONECTIONS: '10' })).toThrow(/WS_MAX_CONECTIONS/);
  });
});
