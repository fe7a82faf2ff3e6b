/**
 * The release step: pins the images it just built, by the digests the registry returned for them, into
 * every stack's pin file on main (stacks/images/<stack>.json). dev follows main and runs them at once;
 * staging and prod run them only once a promotion carries that commit to their environment branch
 * (scripts/promote.ts). Third-party entries still awaiting a digest are resolved from the registry by
 * the workflow and handed over with `--resolved <key>=<ref@digest>`. Used by .github/workflows/release.yml:
 *   npx tsx scripts/pin-images.ts --gateway <ref> --worker <ref> --web <ref> [--resolved redis=<ref>]…
 *   npx tsx scripts/pin-images.ts --awaiting        # "<key> <ref>" per entry without a digest, for the workflow
 *   npx tsx scripts/pin-images.ts --init <stack> --like <stack before it>   # a new stack's pin file
 * It works on the pin files it finds (one per stack; synth refuses a stack without one), so it never loads
 * the stacks themselves: `--init` runs while a newly registered stack still lacks its file.
 * Refuses a reference without a digest.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { awaitingDigest, defaultImagesDir, formatPins, readPins } from '../platform/render/image-pins.js';
import {
  type ImageKey,
  imageKeys,
  type Pins,
  pinFileName,
  type ReleasedImageKey,
  releasedImageKeys,
} from '../stacks/images.js';
import type { StackName } from '../stacks/types.js';

const DIGEST_REF = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+:[\w][\w.-]{0,127}@sha256:[0-9a-f]{64}$/;
const digestRef = z.string().regex(DIGEST_REF, 'expected registry/repository:tag@sha256:<64 hex>');
const refs = z.strictObject(
  Object.fromEntries(releasedImageKeys.map((k) => [k, digestRef])) as Record<ReleasedImageKey, typeof digestRef>,
);
export type ReleasedImages = Record<ReleasedImageKey, string>;

/**
 * A stack's pins with every released image replaced and each resolved third-party entry given its
 * digest (only where the stack pins that image at the same tag: a resolution never changes a version).
 */
export function releasePins(current: Pins, images: ReleasedImages, resolved: Pins = {}): Pins {
  const pins: Pins = { ...current, ...refs.parse(images) };
  for (const key of imageKeys) {
    const ref = resolved[key];
    if (ref === undefined || pins[key] === undefined) continue;
    digestRef.parse(ref);
    if (ref.replace(/@sha256:.*$/, '') === pins[key]) pins[key] = ref;
  }
  return pins;
}

export function writePins(stack: StackName, pins: Pins, dir = defaultImagesDir): void {
  writeFileSync(join(dir, pinFileName(stack)), formatPins(pins));
}

/** The stacks that have a pin file in `dir`. */
export function pinnedStacks(dir = defaultImagesDir): StackName[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length) as StackName)
    .sort();
}

/** Writes the release into every stack's pin file; returns each stack's new pins. */
export function releaseToAll(images: ReleasedImages, resolved: Pins = {}, dir = defaultImagesDir) {
  return Object.fromEntries(
    pinnedStacks(dir).map((stack) => {
      const pins = releasePins(readPins(stack, dir), images, resolved);
      writePins(stack, pins, dir);
      return [stack, pins];
    }),
  ) as Record<StackName, Pins>;
}

/** Every `key ref` still without a digest, over all pin files (the workflow resolves each from its registry). */
export function awaitingEntries(dir = defaultImagesDir): string[] {
  const lines = new Set<string>();
  for (const stack of pinnedStacks(dir)) {
    const pins = readPins(stack, dir);
    for (const key of awaitingDigest(pins))
      if (!(releasedImageKeys as ImageKey[]).includes(key)) lines.add(`${key} ${pins[key]}`);
  }
  return [...lines].sort();
}

/** A new stack's pin file: the pins of the stack it is promoted from (what it will run first), for `--init`. */
export function initPins(stack: string, like: string, dir = defaultImagesDir): Pins {
  if (!/^[a-z][a-z0-9-]*$/.test(stack))
    throw new Error(`--init ${stack}: a stack name is lower-case letters, digits and -`);
  const file = join(dir, pinFileName(stack as StackName));
  if (existsSync(file)) throw new Error(`${file} exists already`);
  const pins = readPins(like as StackName, dir);
  writePins(stack as StackName, pins, dir);
  return pins;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { values } = parseArgs({
      options: {
        ...Object.fromEntries(releasedImageKeys.map((k) => [k, { type: 'string' as const }])),
        resolved: { type: 'string', multiple: true },
        awaiting: { type: 'boolean' },
        init: { type: 'string' },
        like: { type: 'string' },
      },
    });
    if (values.awaiting) {
      for (const line of awaitingEntries()) console.log(line);
    } else if (values.init !== undefined) {
      if (values.like === undefined) throw new Error('--init <stack> needs --like <the stack it is promoted from>');
      initPins(values.init, values.like);
      console.log(`wrote stacks/images/${values.init}.json (the pins of ${values.like})`);
    } else {
      const released = refs.safeParse(
        Object.fromEntries(releasedImageKeys.map((k) => [k, (values as Record<string, unknown>)[k]])),
      );
      if (!released.success)
        throw new Error(released.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const resolved = Object.fromEntries(
        (values.resolved ?? []).map((pair) => {
          const at = pair.indexOf('=');
          if (at < 0) throw new Error(`--resolved ${pair}: expected <key>=<ref@sha256:…>`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      ) as Pins;
      const all = releaseToAll(released.data as ReleasedImages, resolved);
      for (const [stack, pins] of Object.entries(all))
        console.log(
          `${stack}: ${imageKeys
            .filter((k) => pins[k])
            .map((k) => `${k} → ${pins[k]}`)
            .join(', ')}`,
        );
    }
  } catch (error) {
    console.error(`pin-images: ${(error as Error).message}`);
    process.exit(2);
  }
}
