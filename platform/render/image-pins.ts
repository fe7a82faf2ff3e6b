/**
 * Reading and checking where each stack's images come from (the keys are data, in stacks/images.ts). `stacks/images/Dockerfile` names the third-party images (the one
 * place Dependabot bumps them); `stacks/images/<stack>.json` is the stack's own pin file, which wins over
 * it. A release writes the app images into every stack's pin file on main (scripts/pin-images.ts); what a
 * stack runs is its pin file as committed on the revision promoted to it (scripts/promote.ts), so a pin
 * on main reaches staging and prod only by promotion. dev pins only the app images and follows the catalogue.
 *
 * A pin is `repo:tag@sha256:<digest>`: the tag for people and the version floors, the digest for the
 * cluster. Digests come only from a registry, never from this repository: a pin without one is written
 * `repo:tag` and listed under the file's `awaitingFirstRelease` (the list is derived when the file is
 * written and checked when it is read), and promotion refuses it until a release resolves its digest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  AWAITING,
  CATALOGUE_FILE,
  type ImageKey,
  type Images,
  imageKeys,
  imageSource,
  type Pins,
  pinFileName,
} from '../../stacks/images.js';
import type { StackName } from '../../stacks/types.js';

/** stacks/images/: the catalogue and every stack's pin file. */
export const defaultImagesDir = fileURLToPath(new URL('../../stacks/images/', import.meta.url));

const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** `registry[:port]/repository:tag` with an optional `@sha256:<64 hex>`; a tag is required, and not `latest`. */
const PIN = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+:(?!latest(?:@|$))[\w][\w.-]{0,127}(?:@sha256:[0-9a-f]{64})?$/;
export const hasDigest = (ref: string): boolean => DIGEST.test(ref);

const pinsSchema = z.strictObject({
  [AWAITING]: z.array(z.enum(imageKeys as [ImageKey, ...ImageKey[]])).optional(),
  ...(Object.fromEntries(
    imageKeys.map((k) => [
      k,
      z.string().regex(PIN, 'expected repo:tag@sha256:<64 hex> (or repo:tag, awaiting a first release)').optional(),
    ]),
  ) as Record<ImageKey, z.ZodOptional<z.ZodString>>),
});

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

/** The entries of `pins` without a digest, in key order. */
export function awaitingDigest(pins: Pins): ImageKey[] {
  return imageKeys.filter((k) => pins[k] !== undefined && !hasDigest(pins[k]));
}

/**
 * A pin file's pins. `awaitingFirstRelease` must name exactly the entries without a digest, so a digest
 * dropped by hand (or a list left stale by a release) fails here, naming the file and the key.
 */
export function parsePins(text: string, where: string): Pins {
  const parsed = pinsSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    );
  const { [AWAITING]: listed = [], ...pins } = parsed.data;
  const awaiting = awaitingDigest(pins as Pins);
  for (const key of awaiting)
    if (!listed.includes(key))
      throw new Error(`${where}: ${key}: "${pins[key]}" has no digest and is not listed under ${AWAITING}`);
  for (const key of listed)
    if (!awaiting.includes(key))
      throw new Error(
        `${where}: ${key} is listed under ${AWAITING} but ${pins[key] === undefined ? 'is not pinned' : 'has a digest'}`,
      );
  return pins as Pins;
}

/** Promotion's rule: every pin carries its digest. Names the file and key of the first one that does not. */
export function requireDigests(pins: Pins, where: string): void {
  const [key] = awaitingDigest(pins);
  if (key !== undefined)
    throw new Error(
      `${where}: ${key}: "${pins[key]}" has no digest (it awaits a first release); only repo:tag@sha256:… pins are promoted`,
    );
}

export function readPins(stack: StackName, dir = defaultImagesDir): Pins {
  const file = join(dir, pinFileName(stack));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `stack "${stack}" has no pin file ${file}: create it with \`npx tsx scripts/pin-images.ts --init ${stack} --like <the stack before it>\``,
    );
  }
  return parsePins(text, file);
}

/** Keys in a fixed order, two-space JSON (a pin change is a one-line diff), the digest-less entries listed first. */
export function formatPins(pins: Pins): string {
  const awaiting = awaitingDigest(pins);
  const ordered = Object.fromEntries([
    ...(awaiting.length > 0 ? [[AWAITING, awaiting]] : []),
    ...imageKeys.filter((k) => pins[k] !== undefined).map((k) => [k, pins[k]]),
  ]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
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
