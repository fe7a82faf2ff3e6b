/**
 * The stacks as the platform renders them: each stack's declaration (stacks/, data only) with its images,
 * read from its pin file and the catalogue in stacks/images/ (platform/render/image-pins.ts). Synth, the Pulumi
 * program and the release tools select from here.
 */
import { stackNames, stackSpecs } from '../../stacks/index.js';
import type { StackConfig, StackName, StackSpec } from '../../stacks/types.js';
import { defaultImagesDir, resolveImages } from './image-pins.js';

/** A declared stack with the images of its pin file in `imagesDir`. */
export function withImages(spec: StackSpec, imagesDir = defaultImagesDir): StackConfig {
  return { ...spec, images: resolveImages(spec.name, imagesDir) };
}

/** The stacks with their images read from an images directory (a release or promotion being tried out). */
export function loadStacks(imagesDir: string): Record<StackName, StackConfig> {
  return Object.fromEntries(stackNames.map((name) => [name, withImages(stackSpecs[name], imagesDir)])) as Record<
    StackName,
    StackConfig
  >;
}

/** Every stack by name, with the images committed in stacks/images/. */
export const stacks: Readonly<Record<StackName, StackConfig>> = loadStacks(defaultImagesDir);

export function stackByName(name: string): StackConfig {
  const stack = (stacks as Record<string, StackConfig | undefined>)[name];
  if (!stack) throw new Error(`unknown stack "${name}": expected one of ${stackNames.join(', ')}`);
  return stack;
}

export { stackNames };
export type { StackConfig, StackName } from '../../stacks/types.js';
