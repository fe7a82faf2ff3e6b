/**
 * GitOps release step: points the stacks at the images just built, by digest, in stacks/defaults.ts (the
 * one place the app images are named), so `npm run synth` renders them into deploy/<stack>/ and Argo CD
 * rolls them out. Used by .github/workflows/release.yml:
 *   npx tsx scripts/pin-images.ts --gateway ghcr.io/o/hsc-jit-gateway:sha-abc@sha256:… --web ghcr.io/o/hsc-jit-web:sha-abc@sha256:…
 * Refuses a reference without a digest, and a stacks/defaults.ts whose `images` block it cannot find.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const DIGEST_REF = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+(?::[\w.-]+)?@sha256:[0-9a-f]{64}$/;
const refs = z.object({
  gateway: z.string().regex(DIGEST_REF, 'expected registry/repository[:tag]@sha256:<64 hex>'),
  web: z.string().regex(DIGEST_REF, 'expected registry/repository[:tag]@sha256:<64 hex>'),
});
export type ImageRefs = z.infer<typeof refs>;

/** Returns `source` with the `gateway:` and `web:` entries of its one `images: { … }` block replaced. */
export function pinImages(source: string, images: ImageRefs): string {
  const checked = refs.parse(images);
  const blocks = [...source.matchAll(/images:\s*\{[^}]*\}/g)];
  if (blocks.length !== 1)
    throw new Error(`expected exactly one "images: { … }" block in the stack defaults, found ${blocks.length}`);
  const block = blocks[0]!;
  let updated = block[0];
  for (const key of ['gateway', 'web'] as const) {
    const entry = new RegExp(`(\\b${key}:\\s*)'[^']*'`);
    if (!entry.test(updated)) throw new Error(`no "${key}: '…'" entry in the images block`);
    updated = updated.replace(entry, `$1'${checked[key]}'`);
  }
  return source.slice(0, block.index) + updated + source.slice(block.index + block[0].length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { gateway: { type: 'string' }, web: { type: 'string' }, file: { type: 'string' } },
  });
  const file = values.file ?? join(fileURLToPath(new URL('..', import.meta.url)), 'stacks/defaults.ts');
  const result = refs.safeParse({ gateway: values.gateway, web: values.web });
  if (!result.success) {
    console.error(`pin-images: ${result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
    process.exit(2);
  }
  writeFileSync(file, pinImages(readFileSync(file, 'utf8'), result.data));
  console.log(`pinned gateway → ${result.data.gateway}\npinned web     → ${result.data.web}`);
}
