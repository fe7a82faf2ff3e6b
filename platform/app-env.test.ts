/**
 * The environment contract between the platform and the app: every environment the platform renders for
 * the app image (the gateway and worker Deployments, the migration Job, compose's gateway and worker) is
 * run through the app's own config loader. Secrets are references in the rendered tree; here each is
 * replaced by a placeholder of the shape the loader expects, since only the cluster holds the values.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_ENV_NAMES, loadConfig, type AppConfig } from '../app/config.js';
import { stacks } from '../stacks/index.js';
import type { StackConfig } from '../stacks/types.js';
import { appCommands } from './app-env.js';
import { synthObjects, type KubeObject } from './build-stack.js';
import { renderCompose } from './compose.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
}

/** What a secret holds, in the shape the loader checks (a DSN, a 32-character token); any string elsewhere. */
const SECRET_PLACEHOLDERS: Record<string, string> = {
  SENTRY_DSN: 'https://public-key@sentry.invalid/1',
  ADMIN_TOKEN: 'a-placeholder-admin-token-of-32-chars',
};

function envOf(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
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
    const spec = (object as { spec?: { template?: { spec?: { containers?: Container[] } } } }).spec;
    for (const container of spec?.template?.spec?.containers ?? []) {
      const program = programs.find((p) => p.args === (container.args ?? []).join(' '))?.program;
      if (program) found.push({ where: `${object.kind}/${object.metadata?.name} (${program})`, env: envOf(container) });
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

describe('the environment the platform renders for the app', () => {
  for (const stack of Object.values(stacks)) {
    for (const [variant, config] of [
      ['as configured', stack],
      ['with every feature on', allFeatures(stack)],
    ] as const) {
      it(`${stack.name} ${variant}: the gateway, the workers and the migration Job load it`, () => {
        const containers = appContainers(synthObjects(config).topology);
        expect(containers.map((c) => c.where).sort()).toEqual([
          'Deployment/gateway (gateway)',
          'Deployment/workers (worker)',
          'Job/migrate (migrate)',
        ]);
        for (const { where, env } of containers) {
          const loaded = expectLoads(env);
          // The cluster never runs on embedded defaults: a dropped variable would fall back to them.
          expect(loaded.database.kind, where).toBe('postgres');
          if (!where.includes('migrate')) expect(loaded.redis.kind, where).toBe('sentinel');
          if (where.includes('gateway')) expect(loaded.adminToken !== undefined, where).toBe(config.features.adminApi);
          if (!where.includes('migrate')) expect(loaded.llm !== undefined, where).toBe(config.features.llm);
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

  it('catches a variable the app does not read', () => {
    expect(() => expectLoads({ NODE_ENV: 'production', WS_MAX_CONECTIONS: '10' })).toThrow(/WS_MAX_CONECTIONS/);
  });
});
