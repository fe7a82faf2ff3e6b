/** The floor table held against every third-party pin and chart version (platform/render/supply-chain.ts). */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultImagesDir } from './image-pins.js';
import { imageKeys, imageSource } from '../../stacks/images.js';
import { loggingCharts } from '../pulumi/logging.js';
import { charts } from '../pulumi/prerequisites.js';
import {
  type ChartName,
  type Component,
  componentName,
  floorViolations,
  imageTag,
  reviewedWithoutFloor,
  thirdPartyImagePins,
  versionFloors,
} from './supply-chain.js';

const allCharts = { ...charts, ...loggingCharts } as Record<ChartName, { version: string }>;
// A digest shape for the fixtures only: never a real image's.
const FIXTURE_DIGEST = `sha256:${'0'.repeat(64)}`;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('third-party versions against the floor table', () => {
  it('every third-party image pin (catalogue and each stack pin file) carries every listed fix', () => {
    const pins = thirdPartyImagePins();
    expect(pins.length).toBeGreaterThanOrEqual(5);
    const violations = pins.flatMap(({ key, ref, where }) =>
      floorViolations({ image: key }, imageTag(ref) ?? ref, `${where} ${ref}`),
    );
    expect(violations).toEqual([]);
  });

  it('every Helm chart the Pulumi program installs carries every listed fix', () => {
    const violations = Object.entries(allCharts).flatMap(([chart, { version }]) =>
      floorViolations({ chart: chart as ChartName }, version, `chart ${chart}`),
    );
    expect(violations).toEqual([]);
  });

  it('every third-party component has floor rows or a recorded review, and every row names one that exists', () => {
    const components: Component[] = [
      ...imageKeys.filter((k) => imageSource[k] === 'catalogue').map((k) => ({ image: k }) as Component),
      ...Object.keys(allCharts).map((c) => ({ chart: c }) as Component),
    ];
    const covered = new Set([...versionFloors, ...reviewedWithoutFloor].map((r) => componentName(r.component)));
    expect(components.map(componentName).filter((c) => !covered.has(c))).toEqual([]);
    const existing = new Set(components.map(componentName));
    expect([...covered].filter((c) => !existing.has(c))).toEqual([]);
    for (const row of versionFloors) {
      expect(row.advisory).toMatch(/^(CVE-\d{4}-\d+|GHSA-[\w-]+|GO-\d{4}-\d+)$/);
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.fixedIn.length).toBeGreaterThan(0);
    }
  });

  it('reads the tag out of repo:tag and repo:tag@sha256:… (registry ports included)', () => {
    expect(imageTag('docker.io/library/redis:7.2.16-bookworm')).toBe('7.2.16-bookworm');
    expect(imageTag(`docker.io/library/redis:7.2.16-bookworm@${FIXTURE_DIGEST}`)).toBe('7.2.16-bookworm');
    expect(imageTag('registry.local:5000/team/redis_exporter:v1.89.0')).toBe('v1.89.0');
    expect(imageTag(`registry.local:5000/redis@${FIXTURE_DIGEST}`)).toBeUndefined();
  });

  it('refuses a vulnerable release, digest-pinned or not, and an unpatched line; accepts each line’s fix and later lines', () => {
    const redis = (tag: string) => floorViolations({ image: 'redis' }, tag, 'fixture');
    expect(redis('7.2.5-bookworm')).toEqual([expect.stringContaining('CVE-2025-49844')]);
    expect(redis(imageTag(`docker.io/library/redis:7.2.10-bookworm@${FIXTURE_DIGEST}`)!)).toHaveLength(1);
    expect(redis('7.4.5')).toHaveLength(1); // its own line's fix is 7.4.6
    expect(redis('7.0.15')).toHaveLength(1); // a line that got no fix
    for (const ok of ['7.2.11-bookworm', '7.4.6-alpine', '8.2.2', '8.4.0']) expect(redis(ok), ok).toEqual([]);
    expect(redis('latest')).toEqual([expect.stringContaining('names no release')]);

    const postgres = (tag: string) => floorViolations({ image: 'postgres' }, tag, 'fixture');
    expect(postgres('15.14-minimal-bookworm')).toHaveLength(1);
    expect(postgres('13.22')).toHaveLength(1);
    expect(postgres('16.14-minimal-bookworm')).toEqual([]);

    const ingress = (v: string) => floorViolations({ chart: 'ingressNginx' }, v, 'fixture');
    expect(ingress('4.11.3')).toHaveLength(2); // CVE-2025-1974 and CVE-2026-3288
    expect(ingress('4.11.5')).toEqual([expect.stringContaining('CVE-2026-3288')]);
    expect(ingress('4.14.4')).toEqual([]);
    expect(floorViolations({ chart: 'certManager' }, 'v1.16.1', 'fixture')).toHaveLength(2);
  });

  it('a stack pin file with a vulnerable third-party pin fails the check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'floors-'));
    temps.push(dir);
    cpSync(defaultImagesDir, dir, { recursive: true });
    const prod = JSON.parse(readFileSync(join(dir, 'prod.json'), 'utf8')) as Record<string, unknown> & {
      awaitingFirstRelease: string[];
    };
    prod.redis = `docker.io/library/redis:7.2.5-bookworm@${FIXTURE_DIGEST}`;
    // A pin with a digest is no longer awaiting one (platform/render/image-pins.ts checks the list both ways).
    prod.awaitingFirstRelease = prod.awaitingFirstRelease.filter((key) => key !== 'redis');
    writeFileSync(join(dir, 'prod.json'), JSON.stringify(prod));
    const violations = thirdPartyImagePins(dir).flatMap(({ key, ref, where }) =>
      floorViolations({ image: key }, imageTag(ref) ?? ref, `${where} ${ref}`),
    );
    expect(violations).toEqual([expect.stringMatching(/^prod\.json .*redis:7\.2\.5-bookworm@.*CVE-2025-49844/)]);
  });
});
