/**
 * The release step: pins the images just built, by digest, into dev's pin file (stacks/images/dev.json)
 * and nowhere else, so `npm run synth` re-renders deploy/dev/ only; staging and prod get them by
 * promotion (scripts/promote.ts). Used by .github/workflows/release.yml:
 *   npx tsx scripts/pin-images.ts --gateway <ref> --worker <ref> --web <ref>   (ref: registry/repo:tag@sha256:…)
 * Refuses a reference without a digest.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  defaultImagesDir,
  type Pins,
  type ReleasedImageKey,
  readPins,
  releasedImageKeys,
  writePins,
} from '../stacks/images.js';

const DIGEST_REF = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+(?::[\w.-]+)?@sha256:[0-9a-f]{64}$/;
const digestRef = z.string().regex(DIGEST_REF, 'expected registry/repository[:tag]@sha256:<64 hex>');
const refs = z.strictObject(
  Object.fromEntries(releasedImageKeys.map((k) => [k, digestRef])) as Record<ReleasedImageKey, typeof digestRef>,
);
export type ReleasedImages = Record<ReleasedImageKey, string>;

/** dev's pins with every released image replaced; any other pin dev carries is kept. */
export function releasePins(current: Pins, images: ReleasedImages): Pins {
  return { ...current, ...refs.parse(images) };
}

export function releaseToDev(images: ReleasedImages, dir = defaultImagesDir): Pins {
  const pins = releasePins(readPins('dev', dir), images);
  writePins('dev', pins, dir);
  return pins;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: Object.fromEntries(releasedImageKeys.map((k) => [k, { type: 'string' as const }])),
  });
  const result = refs.safeParse(values);
  if (!result.success) {
    console.error(`pin-images: ${result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
    process.exit(2);
  }
  const pins = releaseToDev(result.data as ReleasedImages);
  for (const key of releasedImageKeys) console.log(`dev: pinned ${key} → ${pins[key]}`);
}
