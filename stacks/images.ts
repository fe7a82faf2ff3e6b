/**
 * Where each stack's images come from. `stacks/images/Dockerfile` names the third-party images (the one
 * place Dependabot bumps them); `stacks/images/<stack>.json` is the stack's own pin file, which wins over
 * it. dev pins only the app images (a release writes them), so dev follows the third-party catalogue;
 * staging and prod pin every image and change only when a promotion (scripts/promote.ts) rewrites them.
 * An environment's rendered tree therefore changes only when its own pins or its own config change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { StackConfig, StackName } from './types.js';

export type ImageKey = keyof StackConfig['images'];
export type Images = StackConfig['images'];
export type Pins = Partial<Images>;

/** Who writes each image: a release (app images, built here) or the catalogue (third-party). Exhaustive by type. */
export const imageSource = {
  gateway: 'release',
  worker: 'release',
  web: 'release',
  redis: 'catalogue',
  redisExporter: 'catalogue',
  postgres: 'catalogue',
  postgresLocal: 'catalogue',
  kubectl: 'catalogue',
} as const satisfies Record<ImageKey, 'release' | 'catalogue'>;
export type ReleasedImageKey = { [K in ImageKey]: (typeof imageSource)[K] extends 'release' ? K : never }[ImageKey];
export const imageKeys = Object.keys(imageSource) as ImageKey[];
export const releasedImageKeys = imageKeys.filter((k): k is ReleasedImageKey => imageSource[k] === 'release');

export const defaultImagesDir = fileURLToPath(new URL('./images/', import.meta.url));
export const CATALOGUE_FILE = 'Dockerfile';
export const pinFileName = (stack: StackName) => `${stack}.json`;

const pinsSchema = z.strictObject(
  Object.fromEntries(imageKeys.map((k) => [k, z.string().min(1).optional()])) as Record<
    ImageKey,
    z.ZodOptional<z.ZodString>
  >,
);

const camelCase = (stage: string) => stage.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `FROM <ref> AS <stage>` lines → images by key; anything else but comments and blank lines is refused. */
export function parseCatalogue(text: string): Pins {
  const images: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)\s+AS\s+([a-z][a-z0-9-]*)$/i.exec(line);
    if (!from) throw new Error(`image catalogue line ${index + 1}: expected "FROM <image> AS <key>", got "${line}"`);
    const key = camelCase(from[2]!.toLowerCase());
    if (!Object.hasOwn(imageSource, key))
      throw new Error(`image catalogue line ${index + 1}: "${from[2]}" is no image the stacks use`);
    if (imageSource[key as ImageKey] !== 'catalogue')
      throw new Error(`image catalogue line ${index + 1}: "${key}" is built and pinned by the release`);
    images[key] = from[1]!;
  }
  return images as Pins;
}

export function parsePins(text: string, where: string): Pins {
  const parsed = pinsSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as Pins;
}

export function readPins(stack: StackName, dir = defaultImagesDir): Pins {
  const file = join(dir, pinFileName(stack));
  return parsePins(readFileSync(file, 'utf8'), file);
}

/** Keys in a fixed order, two-space JSON: a pin change is a one-line diff. */
export function formatPins(pins: Pins): string {
  const ordered = Object.fromEntries(imageKeys.filter((k) => pins[k] !== undefined).map((k) => [k, pins[k]]));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function writePins(stack: StackName, pins: Pins, dir = defaultImagesDir): void {
  writeFileSync(join(dir, pinFileName(stack)), formatPins(pins));
}

/** The catalogue overlaid by the stack's pins; every key must end up with a reference. */
export function combineImages(stack: StackName, catalogue: Pins, pins: Pins): Images {
  const images = { ...catalogue, ...pins };
  const missing = imageKeys.filter((k) => images[k] === undefined);
  if (missing.length > 0)
    throw new Error(
      `stack "${stack}": no image for ${missing.join(', ')} (neither its pin file nor the catalogue names it)`,
    );
  return images as Images;
}

export function resolveImages(stack: StackName, dir = defaultImagesDir): Images {
  return combineImages(stack, parseCatalogue(readFileSync(join(dir, CATALOGUE_FILE), 'utf8')), readPins(stack, dir));
}
