/**
 * Promotion by environment branch, with real git in a scratch repository and a stand-in for Argo CD's API
 * server (an HTTP server answering `GET /api/v1/applications/<name>` with the Application JSON Argo CD
 * returns; the real one cannot run here). The scratch repository starts from this repository's deploy/
 * and stacks/images/, released with fixture digests (no digest is invented in the repository itself).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderAll, repoRoot, writeTree } from '../../platform/render/synth.js';
import { type ReleasedImages, releaseToAll } from '../../scripts/pin-images.js';
import { envBranch, groupKeys, main, previousStack, rollbackGroup } from '../../scripts/promote.js';
import { defaultImagesDir, formatPins, parseCatalogue, parsePins, readPins } from '../../platform/render/image-pins.js';
import { imageKeys, type Pins, releasedImageKeys } from '../../stacks/images.js';
import { loadStacks, type StackName, stackNames } from '../../platform/render/stacks.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const release = (c: string) =>
  Object.fromEntries(
    releasedImageKeys.map((k) => [k, `ghcr.io/halilit/hsc-jit-${k}:sha-0123abc@${digest(c)}`]),
  ) as ReleasedImages;
/** Third-party entries as a release resolves them from their registry (fixture digests). */
function resolvedThirdParty(c: string): Pins {
  const resolved: Pins = {};
  for (const stack of stackNames)
    for (const [key, ref] of Object.entries(readPins(stack)) as Array<[keyof Pins, string]>)
      if (!(releasedImageKeys as string[]).includes(key)) resolved[key] = `${ref.replace(/@.*$/, '')}@${digest(c)}`;
  const catalogue = parseCatalogue(readFileSync(join(defaultImagesDir, 'Dockerfile'), 'utf8'));
  for (const [key, ref] of Object.entries(catalogue) as Array<[keyof Pins, string]>)
    resolved[key] ??= `${ref}@${digest(c)}`;
  return resolved;
}

let repo: string;
// A fresh machine has no git identity, and git refuses to commit without one (a host name without a
// domain gives it nothing to guess from). The identity goes in the environment, not as `-c` flags, so
// that it reaches promote.ts's own `git commit-tree` as well as this file's commits.
const identity = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};
const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
const imagesDir = () => join(repo, 'stacks/images');
/** Renders every stack from the scratch repository's pins into its deploy/ (what `npm run synth` writes). */
function synth(): void {
  writeTree(repo, renderAll(loadStacks(imagesDir())).files);
}
function commitAll(message: string): string {
  git('add', '-A');
  git('commit', '-qm', message);
  return git('rev-parse', 'HEAD');
}
/** What a stack's Application syncs: its targetRevision and path, read from the Application main renders. */
function synced(stack: StackName): string {
  const app = parse(git('show', `main:deploy/argocd/hsc-jit-${stack}.yaml`)) as {
    spec: { source: { targetRevision: string; path: string } };
  };
  const { targetRevision, path } = app.spec.source;
  return git('rev-parse', `${targetRevision}:${path}`);
}

// The stand-in Argo CD API: each Application's state as the test sets it.
const states = new Map<string, { sync: string; health: string; revision: string }>();
const TOKEN = 'test-token';
let server: Server;
let env: Record<string, string>;
beforeAll(async () => {
  for (const [name, value] of Object.entries(identity)) vi.stubEnv(name, value);
  server = createServer((req, res) => {
    const match = /^\/api\/v1\/applications\/([\w-]+)$/.exec(req.url ?? '');
    const state = match && states.get(match[1]!);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('{"error":"unauthorized"}');
      return;
    }
    if (!state) {
      res.writeHead(404).end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        metadata: { name: match[1], namespace: 'argocd' },
        spec: { project: 'hsc-jit', source: { repoURL: 'https://github.com/halilit/hsc-jit.git' } },
        status: {
          sync: { status: state.sync, revision: state.revision, comparedTo: {} },
          health: { status: state.health },
          operationState: { phase: 'Succeeded' },
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = { ARGOCD_SERVER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ARGOCD_AUTH_TOKEN: TOKEN };

  repo = mkdtempSync(join(tmpdir(), 'hsc-promote-'));
  for (const dir of ['deploy', 'stacks/images', 'platform'])
    cpSync(join(repoRoot, dir), join(repo, dir), {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
  git('init', '-q', '-b', 'main');
  commitAll('the repository as it is');
  // Bootstrap (docs/operations.md): each environment branch starts at main once.
  for (const stack of stackNames.slice(1)) git('branch', envBranch(stack), 'main');
  releaseToAll(release('a'), resolvedThirdParty('1'), imagesDir());
  synth();
  commitAll('release a');
  for (const stack of stackNames.slice(1)) git('branch', '-f', envBranch(stack), 'main');
});
afterAll(() => {
  vi.unstubAllEnvs();
  server.close();
  rmSync(repo, { recursive: true, force: true });
});

const run = (...args: string[]) => main([...args, '--repo', repo], env);

describe('every change promotes', () => {
  it('the stacks follow main (the first) and env/<stack> (every other)', () => {
    const apps = stackNames.map(
      (s) => (parse(git('show', `main:deploy/argocd/hsc-jit-${s}.yaml`)) as { spec: { source: unknown } }).spec.source,
    );
    expect(apps).toEqual(
      stackNames.map((s, i) =>
        expect.objectContaining({ targetRevision: i === 0 ? 'main' : envBranch(s), path: `deploy/${s}` }),
      ),
    );
  });

  it('a shared-construct commit changes nothing staging or prod sync until promoted; dev → staging → prod carries it, in order', async () => {
    const before = Object.fromEntries(stackNames.map((s) => [s, synced(s)]));
    // The commit synth makes for a change to a shared construct: platform code and every stack's tree.
    writeFileSync(
      join(repo, 'platform/workloads/app-env.ts'),
      `${readFileSync(join(repo, 'platform/workloads/app-env.ts'), 'utf8')}\n// x\n`,
    );
    for (const stack of stackNames) {
      const file = join(repo, `deploy/${stack}/deployment-gateway.yaml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('\nspec:\n', '\n# NEW_SETTING\nspec:\n'));
    }
    const change = commitAll('platform: a new environment variable for every gateway');
    expect(synced('dev')).not.toBe(before.dev);
    expect(synced('staging')).toBe(before.staging);
    expect(synced('prod')).toBe(before.prod);

    // Skipping a stage is refused before Argo CD is asked.
    await expect(run('--from', 'dev', '--to', 'prod')).rejects.toThrow(
      /dev → prod refused: prod is promoted only from staging/,
    );

    // dev has not synced the change yet: staging may not get it.
    states.set('hsc-jit-dev', { sync: 'OutOfSync', health: 'Healthy', revision: before.dev! });
    await expect(run('--from', 'dev', '--to', 'staging')).rejects.toThrow(/hsc-jit-dev is OutOfSync\/Healthy/);
    states.set('hsc-jit-dev', { sync: 'Synced', health: 'Healthy', revision: change });
    expect(await run('--from', 'dev', '--to', 'staging')).toMatch(/promoted dev@\w+ → env\/staging/);
    expect(git('rev-parse', `${envBranch('staging')}^{tree}`)).toBe(git('rev-parse', `${change}^{tree}`));
    expect(synced('staging')).not.toBe(before.staging);
    expect(synced('prod')).toBe(before.prod);

    const stagingTip = git('rev-parse', envBranch('staging'));
    for (const [sync, health] of [
      ['OutOfSync', 'Healthy'],
      ['Synced', 'Degraded'],
      ['Synced', 'Progressing'],
    ] as const) {
      states.set('hsc-jit-staging', { sync, health, revision: stagingTip });
      await expect(run('--from', 'staging', '--to', 'prod')).rejects.toThrow(`hsc-jit-staging is ${sync}/${health}`);
      expect(synced('prod')).toBe(before.prod);
    }
    // Synced and Healthy, but at the previous promotion: not the revision asked for.
    states.set('hsc-jit-staging', { sync: 'Synced', health: 'Healthy', revision: git('rev-parse', 'main~1') });
    await expect(run('--from', 'staging', '--to', 'prod', '--rev', stagingTip)).rejects.toThrow(
      /not [0-9a-f]+: promote what/,
    );

    states.set('hsc-jit-staging', { sync: 'Synced', health: 'Healthy', revision: stagingTip });
    await run('--from', 'staging', '--to', 'prod', '--rev', stagingTip.slice(0, 12));
    expect(git('rev-parse', `${envBranch('prod')}^{tree}`)).toBe(git('rev-parse', `${change}^{tree}`));
    expect(git('show', `${envBranch('prod')}:deploy/prod/deployment-gateway.yaml`)).toContain('# NEW_SETTING');
    // The history says where it came from: prod's tip has staging's promotion as a parent.
    expect(git('rev-parse', `${envBranch('prod')}^2`)).toBe(stagingTip);
  });

  it('a pin without a digest is refused by promotion, naming the file and the key', async () => {
    const file = join(imagesDir(), 'staging.json');
    const pins = parsePins(readFileSync(file, 'utf8'), file);
    writeFileSync(file, formatPins({ ...pins, redis: 'docker.io/library/redis:7.2.11-bookworm' }));
    const bump = commitAll('staging: redis 7.2.11 (digest awaits the release)');
    expect(readFileSync(file, 'utf8')).toMatch(/"awaitingFirstRelease": \[\s*"redis"\s*\]/);
    states.set('hsc-jit-dev', { sync: 'Synced', health: 'Healthy', revision: bump });
    const tip = git('rev-parse', envBranch('staging'));
    await expect(run('--from', 'dev', '--to', 'staging')).rejects.toThrow(
      'stacks/images/staging.json: redis: "docker.io/library/redis:7.2.11-bookworm" has no digest',
    );
    expect(git('rev-parse', envBranch('staging'))).toBe(tip);
    git('revert', '--no-edit', 'HEAD');
  });

  it('the gate asks with the token and fails on an unknown Application or a bad answer', async () => {
    await expect(
      main(['--from', 'staging', '--to', 'prod', '--repo', repo], { ...env, ARGOCD_AUTH_TOKEN: 'wrong' }),
    ).rejects.toThrow(/HTTP 401/);
    states.delete('hsc-jit-staging');
    await expect(run('--from', 'staging', '--to', 'prod')).rejects.toThrow(/HTTP 404/);
    await expect(main(['--from', 'dev', '--to', 'staging', '--repo', repo], {})).rejects.toThrow(/ARGOCD_SERVER/);
    expect(await main(['--help'])).toContain('--rollback');
  });
});

describe('rollback per component group', () => {
  it('puts back the app images, the data tier’s images or the platform revision, each without the others', async () => {
    // Two releases through to prod: b (good), then c (bad), each with new app and data-tier digests.
    const promoteThrough = async (c: string, n: string) => {
      git('checkout', '-q', 'main');
      releaseToAll(release(c), {}, imagesDir());
      // A data-tier bump in the same round (a new build of the same versions, digests from the registry).
      for (const stack of stackNames) {
        const file = join(imagesDir(), `${stack}.json`);
        const pins = parsePins(readFileSync(file, 'utf8'), file);
        for (const key of groupKeys('data'))
          if (pins[key]) pins[key] = pins[key].replace(/@sha256:[0-9a-f]{64}$/, `@${digest(n)}`);
        writeFileSync(file, formatPins(pins));
      }
      writeFileSync(join(repo, 'platform/marker.txt'), `platform ${c}\n`);
      synth();
      const rev = commitAll(`release ${c}`);
      for (const stack of stackNames.slice(1)) {
        const from = previousStack(stack)!;
        const revision = from === stackNames[0] ? rev : git('rev-parse', envBranch(from));
        states.set(`hsc-jit-${from}`, { sync: 'Synced', health: 'Healthy', revision });
        await run('--from', from, '--to', stack);
      }
      return git('rev-parse', envBranch('prod'));
    };
    const good = await promoteThrough('b', '2');
    await promoteThrough('c', '3');

    const checkout = mkdtempSync(join(tmpdir(), 'hsc-env-prod-'));
    try {
      git('worktree', 'add', '-q', '--detach', checkout, envBranch('prod'));
      const pinsIn = () => parsePins(readFileSync(join(checkout, 'stacks/images/prod.json'), 'utf8'), 'prod.json');
      const marker = () => readFileSync(join(checkout, 'platform/marker.txt'), 'utf8');
      const reset = () => execFileSync('git', ['-C', checkout, 'checkout', '-q', '-f', envBranch('prod'), '--', '.']);

      expect(rollbackGroup(checkout, 'prod', 'app', good)).toEqual(['stacks/images/prod.json']);
      for (const key of groupKeys('app')) expect(pinsIn()[key]).toContain(digest('b'));
      for (const key of groupKeys('data')) expect(pinsIn()[key]).toContain(digest('3'));
      expect(marker()).toBe('platform c\n');
      reset();

      rollbackGroup(checkout, 'prod', 'data', good);
      for (const key of groupKeys('app')) expect(pinsIn()[key]).toContain(digest('c'));
      for (const key of groupKeys('data')) expect(pinsIn()[key]).toContain(digest('2'));
      reset();

      const paths = rollbackGroup(checkout, 'prod', 'platform', good);
      expect(marker()).toBe('platform b\n');
      expect(paths).toContain('platform/marker.txt');
      expect(paths).not.toContain('stacks/images/prod.json');
      for (const key of imageKeys)
        expect(pinsIn()[key]).toBe(parsePins(git('show', `${envBranch('prod')}:stacks/images/prod.json`), 'x')[key]);
    } finally {
      git('worktree', 'remove', '--force', checkout);
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe('the pin files', () => {
  it('render exactly the committed deploy/ and list plainly every entry that awaits a first release', () => {
    const files = renderAll(loadStacks(defaultImagesDir)).files;
    for (const [path, text] of files) expect(readFileSync(join(repoRoot, path), 'utf8'), path).toBe(text);
    for (const stack of stackNames) {
      const text = readFileSync(join(defaultImagesDir, `${stack}.json`), 'utf8');
      const listed = (JSON.parse(text) as { awaitingFirstRelease?: string[] }).awaitingFirstRelease ?? [];
      expect(listed.sort()).toEqual(
        Object.entries(readPins(stack))
          .filter(([, ref]) => !ref.includes('@sha256:'))
          .map(([key]) => key)
          .sort(),
      );
    }
  });

  it('refuse a digest-less pin not listed as awaiting, a stale list, an unknown key, a tag-less or latest ref', () => {
    const ref = 'docker.io/library/redis:7.2.11-bookworm';
    expect(() => parsePins(JSON.stringify({ redis: ref }), 'stacks/images/prod.json')).toThrow(
      'stacks/images/prod.json: redis: "docker.io/library/redis:7.2.11-bookworm" has no digest and is not listed under awaitingFirstRelease',
    );
    expect(() =>
      parsePins(JSON.stringify({ awaitingFirstRelease: ['redis'], redis: `${ref}@${digest('e')}` }), 'p.json'),
    ).toThrow(/p\.json: redis is listed under awaitingFirstRelease but has a digest/);
    expect(() => parsePins('{"gatway": "x"}', 'dev.json')).toThrow(/dev\.json: .*gatway/);
    expect(() => parsePins(JSON.stringify({ redis: `docker.io/library/redis@${digest('e')}` }), 'p.json')).toThrow(
      /redis/,
    );
    expect(() =>
      parsePins(JSON.stringify({ redis: `docker.io/library/redis:latest@${digest('e')}` }), 'p.json'),
    ).toThrow(/redis/);
    expect(parsePins(JSON.stringify({ redis: `${ref}@${digest('e')}` }), 'p.json')).toEqual({
      redis: `${ref}@${digest('e')}`,
    });
  });

  it('a missing pin file names itself and the command that creates it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsc-pins-'));
    try {
      mkdirSync(dir, { recursive: true });
      expect(() => readPins('staging', dir)).toThrow(
        `stack "staging" has no pin file ${join(dir, 'staging.json')}: create it with \`npx tsx scripts/pin-images.ts --init staging --like <the stack before it>\``,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
