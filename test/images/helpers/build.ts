/**
 * Builds every image the stacks deploy from the real Dockerfiles, unchanged: only the base is substituted,
 * through the Dockerfiles' own NODE_BASE / NGINX_BASE build arguments, with local bases. Timed and sized.
 */
import { docker, dockerBuild, run, type LocalBases } from '../../../scripts/local-bases.js';

export interface BuiltImage {
  tag: string;
  dockerfile: string;
  target: string;
  seconds: number;
  sizeMB: number;
}

export const drillImages = [
  { key: 'gateway', dockerfile: 'docker/app.Dockerfile', target: 'gateway' },
  { key: 'worker', dockerfile: 'docker/app.Dockerfile', target: 'worker' },
  { key: 'web', dockerfile: 'docker/web.Dockerfile', target: 'web' },
] as const;
export type DrillImage = (typeof drillImages)[number]['key'];

export async function imageSizeMB(tag: string): Promise<number> {
  const bytes = Number((await run(docker(), ['image', 'inspect', '-f', '{{.Size}}', tag])).trim());
  return Math.round(bytes / 1e5) / 10;
}

export async function buildDrillImages(bases: LocalBases): Promise<Record<DrillImage, BuiltImage>> {
  const built = {} as Record<DrillImage, BuiltImage>;
  for (const image of drillImages) {
    const tag = `hsc-jit-drill/${image.key}:local`;
    const started = performance.now();
    await dockerBuild([
      '--build-arg',
      `NODE_BASE=${bases.node}`,
      '--build-arg',
      `NGINX_BASE=${bases.nginx}`,
      '-f',
      image.dockerfile,
      '--target',
      image.target,
      '-t',
      tag,
      '.',
    ]);
    built[image.key] = {
      tag,
      dockerfile: image.dockerfile,
      target: image.target,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      sizeMB: await imageSizeMB(tag),
    };
  }
  return built;
}
