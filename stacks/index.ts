/** Every stack by name; synth and the Pulumi program select from here. */
import { dev } from './dev.js';
import { resolveImages } from './images.js';
import { prod } from './prod.js';
import { staging } from './staging.js';
import type { StackConfig, StackName } from './types.js';

export const stacks: Readonly<Record<StackName, StackConfig>> = { dev, staging, prod };
export const stackNames = Object.keys(stacks) as StackName[];

/** The same stacks with their images read from another images directory (a release or promotion being tried out). */
export function loadStacks(imagesDir: string): Record<StackName, StackConfig> {
  return Object.fromEntries(
    stackNames.map((name) => [name, { ...stacks[name], images: resolveImages(name, imagesDir) }]),
  ) as Record<StackName, StackConfig>;
}

export function stackByName(name: string): StackConfig {
  const stack = (stacks as Record<string, StackConfig | undefined>)[name];
  if (!stack) throw new Error(`unknown stack "${name}": expected one of ${stackNames.join(', ')}`);
  return stack;
}

export type { StackConfig, StackName } from './types.js';
