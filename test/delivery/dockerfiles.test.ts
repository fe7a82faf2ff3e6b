/**
 * Image policy, checked on the Dockerfiles themselves (test/images/ builds and runs them) and against the
 * synthesized Deployments that will run them: pinned bases, substitutable by a build argument, an optional CA
 * secret for every registry fetch, Node 24 at run time on compiled JavaScript, production dependencies only, a
 * numeric non-root user equal to the pod's, exec-form entry points equal to the pod's command, a
 * HEALTHCHECK, /tmp as the one writable path, and a build context that holds what the app loads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthObjects, type KubeObject } from '../../platform/render/build-stack.js';
import { repoRoot } from '../../platform/render/synth.js';
import { stacks } from '../../platform/render/stacks.js';
import { effective, execForm, lineage, parseDockerfile, type Dockerfile, type Stage } from './helpers/dockerfile.js';
import { isInContext, readDockerignore } from './helpers/dockerignore.js';
import { importClosure } from './helpers/import-closure.js';

const app = parseDockerfile(join(repoRoot, 'docker/app.Dockerfile'));
const web = parseDockerfile(join(repoRoot, 'docker/web.Dockerfile'));
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const entryPoints = ['app/main.ts', 'app/worker.ts', 'app/migrate.ts'];
/** A base image reference pinned by digest: registry/repository:tag@sha256:<64 hex>. */
const PINNED = /^[a-z0-9.-]+\.[a-z]+\/[a-z0-9._/-]+:[\w.-]+@sha256:[0-9a-f]{64}$/;

function stage(file: Dockerfile, name: string): Stage {
  const found = file.stages.find((s) => s.name === name);
  expect(found, `stage ${name}`).toBeDefined();
  return found!;
}

interface PodSpec {
  securityContext?: { runAsUser?: number; runAsNonRoot?: boolean };
  containers: Array<{
    command?: string[];
    args?: string[];
    securityContext?: { readOnlyRootFilesystem?: boolean };
    volumeMounts?: Array<{ mountPath: string }>;
  }>;
}
const objects = synthObjects(stacks.prod).topology;
function podOf(name: string): PodSpec {
  const deployment = objects.find((o: KubeObject) => o.kind === 'Deployment' && o.metadata.name === name) as
    | { spec: { template: { spec: PodSpec } } }
    | undefined;
  expect(deployment, `Deployment ${name}`).toBeDefined();
  return deployment!.spec.template.spec;
}

/** The final stages that become images, with the Deployment that runs each. */
const images = [
  { file: app, target: 'gateway', deployment: 'gateway' },
  { file: app, target: 'worker', deployment: 'workers' },
  { file: web, target: 'web', deployment: 'web' },
];

/** The stage a FROM starts from: `${ARG}` read through the ARG's default (how the build resolves it without --build-arg). */
function baseOf(file: Dockerfile, s: Stage): string {
  const arg = /^\$\{?(\w+)\}?$/.exec(s.from)?.[1];
  return arg ? (file.globalArgs.get(arg) ?? '') : s.from;
}

/** The pinned image a stage is built on, following stage names and ARG defaults. */
function pinnedBase(file: Dockerfile, s: Stage): string {
  const from = baseOf(file, s);
  const parent = file.stages.find((p) => p.name === from);
  return parent ? pinnedBase(file, parent) : from;
}

describe('base images', () => {
  it.each([
    ['app', app],
    ['web', web],
  ])(
    '%s: multi-stage; every FROM is a previous stage, scratch, or a literal reference pinned by digest (Dependabot bumps only literal FROM lines)',
    (_name, file) => {
      expect(file.stages.length).toBeGreaterThanOrEqual(2);
      const seen = new Set<string>();
      for (const s of file.stages) {
        const from = baseOf(file, s);
        if (!seen.has(from) && from !== 'scratch') expect(s.from, `FROM ${s.from}`).toMatch(PINNED);
        if (s.name) seen.add(s.name);
      }
    },
  );

  it.each([
    ['app', app],
    ['web', web],
  ])(
    '%s: a global ARG only names the pinned stage a build starts from (substituted by --build-arg, never pulled then)',
    (_name, file) => {
      expect(file.globalArgs.size).toBeGreaterThan(0);
      for (const [name, value] of file.globalArgs) {
        const pinned = file.stages.find((s) => s.name === value);
        expect(pinned?.from, `ARG ${name}=${value}`).toMatch(PINNED);
        expect(pinned?.instructions, `${value} only names the base`).toEqual([]);
        expect(file.stages.filter((s) => s.from === `\${${name}}`).length, `FROM \${${name}}`).toBe(1);
      }
    },
  );

  it.each([
    ['app', app],
    ['web', web],
  ])('%s: no `# syntax=` line (BuildKit would pull a frontend image, which no offline build has)', (_name, file) => {
    expect(file.directives.has('syntax')).toBe(false);
  });

  it('runs Node 24 LTS in the app image and builds the web UI with the same pinned Node', () => {
    const node = pinnedBase(app, stage(app, 'node'));
    expect(node).toMatch(/\/node:24\.\d+\.\d+-/);
    expect(pinnedBase(app, stage(app, 'runtime-fs'))).toBe(node);
    expect(pinnedBase(web, stage(web, 'build'))).toBe(node);
    expect(pinnedBase(web, stage(web, 'web'))).toMatch(/\/nginxinc\/nginx-unprivileged:/);
  });

  it('makes gateway the default target (the last stage)', () => {
    expect(app.stages.at(-1)?.name).toBe('gateway');
  });

  it.each([
    ['app', app],
    ['web', web],
  ])('%s: every RUN that reaches a registry can trust a CA bundle handed in as the `ca` secret', (_name, file) => {
    const fetching = file.stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'RUN' && /\b(npm (ci|install)|apt-get update)\b/.test(i.args));
    expect(fetching.length).toBeGreaterThan(0);
    for (const run of fetching) {
      expect(run.args, run.args).toMatch(/^--mount=type=secret,id=ca\s/);
      expect(run.args, run.args).toMatch(
        /NODE_EXTRA_CA_CERTS=\/run\/secrets\/ca|Acquire::https::CAInfo=\/run\/secrets\/ca/,
      );
    }
  });
});

describe('each image against the pod that runs it', () => {
  it.each(images)('$target: numeric non-root USER equal to the pod runAsUser', ({ file, target, deployment }) => {
    const user = effective(file, stage(file, target), 'USER')?.args;
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(Number(user!.split(':')[0])).toBe(podOf(deployment).securityContext?.runAsUser);
  });

  it.each(images)(
    '$target: exec-form entry point, the one the pod runs, with no shell in between',
    ({ file, target, deployment }) => {
      const s = stage(file, target);
      const entrypoint = execForm(effective(file, s, 'ENTRYPOINT')?.args ?? '[]');
      const cmd = execForm(effective(file, s, 'CMD')?.args ?? '[]');
      expect(entrypoint, 'ENTRYPOINT in exec form').toBeDefined();
      expect(cmd, 'CMD in exec form').toBeDefined();
      const image = [...entrypoint!, ...cmd!];
      expect(image.length).toBeGreaterThan(0);
      expect(image.some((part) => /^(\/bin\/)?(ba)?sh$/.test(part) || part === 'npm')).toBe(false);
      // Kubernetes: `command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD.
      const container = podOf(deployment).containers[0]!;
      const runs = container.command
        ? [...container.command, ...(container.args ?? [])]
        : [...entrypoint!, ...(container.args ?? cmd!)];
      if (container.command) expect(container.command).toEqual(cmd);
      expect(runs.at(-1)).toBe(image.at(-1));
    },
  );

  it.each(images)('$target: a HEALTHCHECK in exec form', ({ file, target }) => {
    const healthcheck = effective(file, stage(file, target), 'HEALTHCHECK')?.args ?? '';
    expect(execForm(healthcheck.replace(/^(--\S+\s+)*CMD\s+/, ''))).toBeDefined();
  });

  it.each(images)(
    '$target: /tmp is the declared volume, and the pod mounts it over a read-only root filesystem',
    ({ file, target, deployment }) => {
      expect(execForm(effective(file, stage(file, target), 'VOLUME')?.args ?? '')).toEqual(['/tmp']);
      const container = podOf(deployment).containers[0]!;
      expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
      expect(container.volumeMounts?.map((m) => m.mountPath)).toContain('/tmp');
    },
  );
});

describe('the app image holds production dependencies only, and all of them', () => {
  const closure = importClosure(repoRoot, entryPoints);
  const install = lineage(app, stage(app, 'deps')).find((i) => i.keyword === 'RUN' && i.args.includes('npm ci'))!.args;

  it('installs with npm ci --omit=dev, exactly as locked, and deletes no package by hand', () => {
    expect(install).toMatch(/npm ci --omit=dev\b/);
    expect(install).not.toMatch(/npm pkg delete|npm prune|npm uninstall/);
    expect(closure.packages.length).toBeGreaterThan(5);
  });

  it('keeps as dependencies exactly what the entry points load: a new dependency needs a decision here', () => {
    expect(Object.keys(packageJson.dependencies).sort()).toEqual([...closure.packages].sort());
  });

  it('runs compiled JavaScript: the runtime holds no transpiler and no TypeScript source', () => {
    expect(packageJson.dependencies).not.toHaveProperty(['tsx']);
    expect(packageJson.dependencies).not.toHaveProperty(['typescript']);
    const compile = stage(app, 'build').instructions.find((i) => i.keyword === 'RUN' && i.args.includes('tsc -p'));
    expect(compile?.args).toMatch(/tsc -p docker\/tsconfig\.app\.json/);
    expect(compile?.args).toMatch(/find app -name '\*\.ts' -delete/);
  });

  it('copies into the runtime only the deps stage node_modules, package.json and the compiled app, then flattens', () => {
    const copies = (name: string) =>
      stage(app, name)
        .instructions.filter((i) => i.keyword === 'COPY')
        .map((i) => i.args);
    expect(copies('runtime-fs')).toEqual([
      '--from=deps /app/node_modules /app/node_modules',
      'package.json /app/',
      '--from=build /app/app /app/app',
    ]);
    expect(stage(app, 'runtime').from).toBe('scratch');
    expect(copies('runtime')).toEqual(['--from=runtime-fs / /']);
  });
});

describe('.dockerignore', () => {
  const rules = readDockerignore(join(repoRoot, '.dockerignore'));

  it('sends every file the entry points load (the built UI is the web image’s business)', () => {
    const { files } = importClosure(repoRoot, entryPoints);
    for (const file of files.filter((f) => f !== 'app/web/dist')) expect(isInContext(rules, file), file).toBe(true);
  });

  it('sends what the web build needs', () => {
    for (const file of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'app/web/index.html',
      'app/web/vite.config.ts',
      'app/web/src/main.tsx',
      'app/shared/protocol.ts',
    ]) {
      expect(isInContext(rules, file), file).toBe(true);
    }
  });

  it('keeps host dependencies, git, local data, tests and secrets files out', () => {
    for (const path of [
      'node_modules/zod/package.json',
      'app/web/node_modules/x',
      '.git/HEAD',
      '.data/db',
      'app/main.test.ts',
      'test/harness/index.ts',
      '.env',
      'deploy/prod/README.md',
      'app/web/dist/index.html',
    ]) {
      expect(isInContext(rules, path), path).toBe(false);
    }
  });
});

describe('web nginx.conf', () => {
  const conf = readFileSync(join(repoRoot, 'docker/web/nginx.conf'), 'utf8');

  it('listens on the port the web Service targets, keeps pid and temp files under /tmp, and answers /healthz', () => {
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'web') as unknown as {
      spec: { ports: Array<{ targetPort: number }> };
    };
    expect(conf).toMatch(new RegExp(`listen ${service.spec.ports[0]!.targetPort};`));
    expect(conf).toMatch(/^pid \/tmp\//m);
    const temps = [...conf.matchAll(/^\s*(\w+_temp_path)\s+(\S+);/gm)];
    expect(temps.map((m) => m[1]).sort()).toEqual([
      'client_body_temp_path',
      'fastcgi_temp_path',
      'proxy_temp_path',
      'scgi_temp_path',
      'uwsgi_temp_path',
    ]);
    for (const m of temps) expect(m[2]).toMatch(/^\/tmp\//);
    expect(conf).toMatch(/location = \/healthz/);
    expect(conf).toMatch(/try_files \$uri \/index\.html;/);
  });
});
