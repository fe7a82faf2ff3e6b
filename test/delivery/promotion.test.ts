/**
 * Promotion as a change: each stack renders from its own pin file, so a release (dev only), a catalogue
 * bump (Dependabot) and a promotion each move exactly the rendered trees they should. Every case runs the
 * real scripts' functions on a copy of stacks/images/ and renders all three stacks from it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAll, repoRoot } from '../../platform/synth.js';
import { releaseOf } from '../../platform/app-env.js';
import { type ReleasedImages, releaseToDev } from '../../scripts/pin-images.js';
import { promote, promotesFrom, sourceImages } from '../../scripts/promote.js';
import {
  CATALOGUE_FILE,
  combineImages,
  defaultImagesDir,
  imageKeys,
  parseCatalogue,
  parsePins,
  readPins,
  releasedImageKeys,
} from '../../stacks/images.js';
import { loadStacks, type StackName } from '../../stacks/index.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const release = (c: string) =>
  Object.fromEntries(
    releasedImageKeys.map((k) => [k, `ghcr.io/halilit/hsc-jit-${k}:sha-0123abc@${digest(c)}`]),
  ) as ReleasedImages;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hsc-images-'));
  cpSync(defaultImagesDir, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const render = () => renderAll(loadStacks(dir)).files;
/** The migration Job is named by its spec's hash (platform/migrations.ts): its file is compared under one name. */
const MIGRATION_FILE = /job-migrate-\d+-[0-9a-f]{8}\.yaml$/;
function filesOf(files: Map<string, string>, stack: StackName): Map<string, string> {
  return new Map(
    [...files]
      .filter(([path]) => path.startsWith(`deploy/${stack}/`))
      .map(([path, text]) => [path.replace(MIGRATION_FILE, 'job-migrate.yaml'), text]),
  );
}
/**
 * Lines that differ between two renders of one stack, over every file, except the migration Job's name:
 * it follows its pod template (a new image, a new name), whose changed lines are listed themselves.
 */
function changedLines(before: Map<string, string>, after: Map<string, string>): string[] {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  return [...before].flatMap(([path, text]) => {
    const a = text.split('\n');
    const b = after.get(path)!.split('\n');
    return b
      .filter((line, i) => line !== a[i] && !/\bmigrate-\d+-[0-9a-f]{8}\b/.test(line))
      .map((line) => `${path}: ${line.trim().replace(/^- /, '')}`);
  });
}

describe('per-stack pins', () => {
  it('the copied pins render exactly the committed deploy/ (so the cases below start from the truth)', () => {
    const files = render();
    for (const [path, text] of files) expect(readFileSync(join(repoRoot, path), 'utf8'), path).toBe(text);
  });

  it('staging and prod pin every image, so nothing but a promotion changes what they run', () => {
    for (const stack of ['staging', 'prod'] as const)
      expect(Object.keys(readPins(stack)).sort()).toEqual([...imageKeys].sort());
    expect(Object.keys(readPins('dev')).sort()).toEqual([...releasedImageKeys].sort());
  });
});

describe('a release', () => {
  it('pins the new digests into dev only: deploy/staging and deploy/prod stay byte-identical', () => {
    const before = render();
    releaseToDev(release('a'), dir);
    const after = render();
    for (const stack of ['staging', 'prod'] as const) expect(filesOf(after, stack)).toEqual(filesOf(before, stack));
    const changed = changedLines(filesOf(before, 'dev'), filesOf(after, 'dev'));
    const r = release('a');
    // Each app Deployment's image and the migration Job's (the gateway image), and its pull policy, which
    // follows the pin (a digest: IfNotPresent); the gateway and workers report the release (APP_RELEASE).
    expect(changed.sort()).toEqual(
      [
        ...[
          ['deployment-gateway', r.gateway],
          ['deployment-web', r.web],
          ['deployment-workers', r.worker],
          ['job-migrate', r.gateway],
        ].flatMap(([file, image]) => [
          `deploy/dev/${file}.yaml: image: ${image}`,
          `deploy/dev/${file}.yaml: imagePullPolicy: IfNotPresent`,
        ]),
        ...['deployment-gateway', 'deployment-workers'].map(
          (file) => `deploy/dev/${file}.yaml: value: ${releaseOf(r.gateway)}`,
        ),
      ].sort(),
    );
    expect(loadStacks(dir).dev.images).toMatchObject(release('a'));
  });

  it('refuses a reference without a digest', () => {
    expect(() => releaseToDev({ ...release('a'), web: 'ghcr.io/halilit/hsc-jit-web:latest' }, dir)).toThrow(/sha256/);
    expect(readPins('dev', dir)).toEqual(readPins('dev'));
  });
});

describe('a third-party bump (Dependabot on stacks/images/Dockerfile)', () => {
  it('reaches dev and leaves staging and prod until promoted', () => {
    const before = render();
    const file = join(dir, CATALOGUE_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/redis:\d+\.\d+\.\d+-bookworm/, 'redis:7.2.99-bookworm'));
    const after = render();
    for (const stack of ['staging', 'prod'] as const) expect(filesOf(after, stack)).toEqual(filesOf(before, stack));
    expect(changedLines(filesOf(before, 'dev'), filesOf(after, 'dev')).length).toBeGreaterThan(0);
    expect(loadStacks(dir).dev.images.redis).toBe('docker.io/library/redis:7.2.99-bookworm');
  });
});

describe('promotion', () => {
  it('copies exactly the source’s images into the target, and changes no other stack', () => {
    releaseToDev(release('b'), dir);
    const before = render();
    const devImages = loadStacks(dir).dev.images;
    const result = promote('staging', sourceImages(promotesFrom.staging!, { dir }), dir);
    expect(result.changed.map(([k]) => k).sort()).toEqual([...releasedImageKeys].sort());
    const after = loadStacks(dir);
    expect(after.staging.images).toEqual(devImages);
    expect(readPins('staging', dir)).toEqual(devImages);
    const files = render();
    for (const stack of ['dev', 'prod'] as const) expect(filesOf(files, stack)).toEqual(filesOf(before, stack));
    const changed = changedLines(filesOf(before, 'staging'), filesOf(files, 'staging'));
    // The three app Deployments and the migration Job.
    expect(changed.filter((l) => l.includes('imagePullPolicy: IfNotPresent')).length).toBe(4);
    const images = changed.filter((l) => l.includes(': image: '));
    expect(images.length).toBe(4);
    for (const line of images) expect(line).toMatch(/image: ghcr\.io\/halilit\/hsc-jit-\w+:sha-0123abc@sha256:b{64}$/);
    // APP_RELEASE on the gateway and the workers: the promoted gateway digest.
    const rest = changed.filter((l) => !l.includes('imagePullPolicy') && !l.includes(': image: '));
    expect(rest.sort()).toEqual(
      ['deployment-gateway', 'deployment-workers'].map(
        (f) => `deploy/staging/${f}.yaml: value: sha256:${'b'.repeat(64)}`,
      ),
    );
  });

  it('staging → prod carries staging’s set, not dev’s newer one', () => {
    releaseToDev(release('c'), dir);
    promote('staging', sourceImages('dev', { dir }), dir);
    releaseToDev(release('d'), dir);
    promote('prod', sourceImages(promotesFrom.prod!, { dir }), dir);
    const loaded = loadStacks(dir);
    expect(loaded.prod.images).toEqual(loaded.staging.images);
    expect(loaded.prod.images.gateway).toContain(digest('c'));
    expect(loaded.dev.images.gateway).toContain(digest('d'));
  });

  it('rollback promotes an older pin set, read from git at that revision', () => {
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'add', '.');
    releaseToDev(release('e'), dir);
    promote('staging', sourceImages('dev', { dir }), dir);
    promote('prod', sourceImages('staging', { dir }), dir);
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'release e to prod');
    const good = git('rev-parse', 'HEAD');
    const goodImages = loadStacks(dir).prod.images;
    releaseToDev(release('f'), dir);
    promote('staging', sourceImages('dev', { dir }), dir);
    promote('prod', sourceImages('staging', { dir }), dir);
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qam', 'release f to prod');
    expect(loadStacks(dir).prod.images.gateway).toContain(digest('f'));

    const rollback = promote('prod', sourceImages('prod', { dir, rev: good }), dir);
    expect(rollback.changed.map(([k]) => k).sort()).toEqual([...releasedImageKeys].sort());
    expect(loadStacks(dir).prod.images).toEqual(goodImages);
    expect(loadStacks(dir).staging.images.gateway).toContain(digest('f'));
  });
});

describe('the files themselves', () => {
  it('refuse what would silently mis-pin: unknown keys, app images in the catalogue, other Dockerfile lines, a missing image', () => {
    expect(() => parsePins('{"gatway": "x"}', 'dev.json')).toThrow(/dev\.json: .*gatway/);
    expect(() => parseCatalogue('FROM ghcr.io/x/gateway:1.0.0 AS gateway')).toThrow(/built and pinned by the release/);
    expect(() => parseCatalogue('FROM docker.io/library/mysql:8.4.0 AS mysql')).toThrow(/no image the stacks use/);
    expect(() => parseCatalogue('RUN echo hi')).toThrow(/line 1: expected "FROM <image> AS <key>"/);
    expect(() => combineImages('staging', {}, { gateway: 'g' })).toThrow(/no image for worker, web, redis/);
    expect(parseCatalogue('# c\n\nFROM docker.io/library/postgres:15.8-bookworm AS postgres-local\n')).toEqual({
      postgresLocal: 'docker.io/library/postgres:15.8-bookworm',
    });
  });
});
