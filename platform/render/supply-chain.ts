/**
 * Third-party versions the stacks run, held against the releases that fixed known vulnerabilities.
 *
 * `versionFloors` is data: one row per advisory, naming the component, the release of each maintained
 * line that carries the fix and where that is stated. `floorViolations` reads the version out of an image
 * reference (`repo:tag` or `repo:tag@sha256:…`, the form the promotion work writes) or a Helm chart
 * version, and refuses anything older than a row's fix in its own release line. A component listed in
 * `reviewedWithoutFloor` was looked at and has no advisory this project can cite; its image is still
 * scanned in CI (ci.yml, job third-party-images), which is what catches OS-package and Go-runtime CVEs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultImagesDir, parseCatalogue, readPins } from './image-pins.js';
import { CATALOGUE_FILE, type ImageKey, imageKeys, imageSource } from '../../stacks/images.js';
import { stackNames } from '../../stacks/index.js';
import type { loggingCharts } from '../pulumi/logging.js';
import type { charts } from '../pulumi/prerequisites.js';

/** Third-party images by their key in stacks/images/, and the Helm charts the Pulumi program installs. */
export type ThirdPartyImage = { [K in ImageKey]: (typeof imageSource)[K] extends 'catalogue' ? K : never }[ImageKey];
export type ChartName = keyof typeof charts | keyof typeof loggingCharts;
export type Component = { image: ThirdPartyImage } | { chart: ChartName };

export interface VersionFloor {
  component: Component;
  /** CVE (or GHSA/GO id where no CVE was assigned). */
  advisory: string;
  /** The fixed release of every line the vendor patched (`7.2.11`, `7.4.6`, …). */
  fixedIn: string[];
  /** Where the fix and its versions are stated. */
  source: string;
}

export const versionFloors: readonly VersionFloor[] = [
  {
    component: { image: 'redis' },
    advisory: 'CVE-2025-49844',
    fixedIn: ['7.2.11', '7.4.6', '8.0.4', '8.2.2'],
    source: 'https://redis.io/blog/security-advisory-cve-2025-49844/',
  },
  {
    component: { image: 'redisExporter' },
    advisory: 'GO-2026-4337',
    fixedIn: ['1.81.0'],
    source: 'https://github.com/oliver006/redis_exporter/issues/1088',
  },
  {
    component: { image: 'redisExporter' },
    advisory: 'GO-2026-4981',
    fixedIn: ['1.84.0'],
    source: 'https://github.com/oliver006/redis_exporter/issues/1123',
  },
  // The CloudNativePG operand and compose's official image run the same PostgreSQL releases.
  ...(['postgres', 'postgresLocal'] as const).map((image) => ({
    component: { image },
    advisory: 'CVE-2026-6473',
    fixedIn: ['14.23', '15.18', '16.14', '17.10', '18.4'],
    source: 'https://www.postgresql.org/about/news/postgresql-184-1710-1614-1518-and-1423-released-3297/',
  })),
  {
    component: { chart: 'ingressNginx' },
    advisory: 'CVE-2025-1974',
    fixedIn: ['4.11.5', '4.12.1'],
    source: 'https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/',
  },
  {
    component: { chart: 'ingressNginx' },
    advisory: 'CVE-2026-3288',
    fixedIn: ['4.14.4'],
    source: 'https://github.com/kubernetes/kubernetes/issues/137560',
  },
  {
    component: { chart: 'certManager' },
    advisory: 'CVE-2024-12401',
    fixedIn: ['1.12.14', '1.15.4', '1.16.2'],
    source: 'https://github.com/cert-manager/cert-manager/security/advisories/GHSA-r4pg-vg54-wxx4',
  },
  {
    component: { chart: 'certManager' },
    advisory: 'CVE-2026-24051',
    fixedIn: ['1.19.4'],
    source: 'https://github.com/cert-manager/cert-manager/releases/tag/v1.19.4',
  },
  {
    component: { chart: 'kubePrometheusStack' },
    advisory: 'CVE-2024-9264',
    fixedIn: ['65.3.2'],
    source: 'https://github.com/prometheus-community/helm-charts/issues/4927',
  },
  {
    component: { chart: 'cloudnativePg' },
    advisory: 'CVE-2026-44477',
    fixedIn: ['0.28.1'],
    source: 'https://github.com/cloudnative-pg/cloudnative-pg/security/advisories/GHSA-423p-g724-fr39',
  },
];

/** Components reviewed for advisories with none to cite (the CI image scan still covers the images). */
export const reviewedWithoutFloor: ReadonlyArray<{ component: Component; note: string }> = [
  {
    component: { image: 'kubectl' },
    note: 'no advisory against the kubectl client; the image (kubectl, helm, a shell) is scanned in CI',
  },
  { component: { chart: 'barmanCloud' }, note: 'no advisory published for plugin-barman-cloud' },
  { component: { chart: 'loki' }, note: 'no advisory found that names a chart or Loki release after 3.1' },
  { component: { chart: 'alloy' }, note: 'the published Alloy advisories concern the Windows installer only' },
];

export const componentName = (c: Component) => ('image' in c ? `image ${c.image}` : `chart ${c.chart}`);

/** The tag of `repo[:port]/path:tag[@sha256:…]`; undefined for a digest-only or untagged reference. */
export function imageTag(ref: string): string | undefined {
  const withoutDigest = ref.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

/** The numeric release a tag or chart version names: `v1.89.0` → [1,89,0], `15.18-minimal-bookworm` → [15,18]. */
export function releaseOf(version: string): number[] | undefined {
  const match = /^v?(\d+(?:\.\d+)*)/.exec(version);
  return match ? match[1]!.split('.').map(Number) : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether `release` carries the fix: at or after the fixed release of its own line (the fixed version
 * without its last number: 7.2.11 → line 7.2, 15.18 → line 15), or newer than every fixed release (a
 * later line). A release of an older, unpatched line fails.
 */
export function carriesFix(release: number[], fixedIn: readonly string[]): boolean {
  const fixes = fixedIn.map((f) => releaseOf(f)!);
  const ownLine = fixes.find((f) => compare(release.slice(0, f.length - 1), f.slice(0, -1)) === 0);
  if (ownLine) return compare(release, ownLine) >= 0;
  return fixes.every((f) => compare(release, f) > 0);
}

const sameComponent = (a: Component, b: Component) => componentName(a) === componentName(b);

/** Every floor `version` (a tag or chart version) of `component` misses, as messages. */
export function floorViolations(component: Component, version: string, where: string): string[] {
  const release = releaseOf(version);
  const rows = versionFloors.filter((f) => sameComponent(f.component, component));
  if (release === undefined)
    return rows.length > 0 ? [`${where}: "${version}" names no release to hold against its floors`] : [];
  return rows
    .filter((row) => !carriesFix(release, row.fixedIn))
    .map(
      (row) =>
        `${where}: ${componentName(component)} ${version} predates the fix for ${row.advisory} (fixed in ${row.fixedIn.join(', ')}; ${row.source})`,
    );
}

/** Each third-party image reference with where it is written: the catalogue and every stack's pin file. */
export function thirdPartyImagePins(
  dir = defaultImagesDir,
): Array<{ key: ThirdPartyImage; ref: string; where: string }> {
  const thirdParty = imageKeys.filter((k): k is ThirdPartyImage => imageSource[k] === 'catalogue');
  const sources = [
    { where: CATALOGUE_FILE, pins: parseCatalogue(readFileSync(join(dir, CATALOGUE_FILE), 'utf8')) },
    ...stackNames.map((stack) => ({ where: `${stack}.json`, pins: readPins(stack, dir) })),
  ];
  return sources.flatMap(({ where, pins }) =>
    thirdParty.flatMap((key) => (pins[key] === undefined ? [] : [{ key, ref: pins[key]!, where }])),
  );
}
