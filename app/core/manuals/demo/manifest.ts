/**
 * The committed demo manuals: which product each PDF belongs to, and facts the tests check against
 * (page count, size, hash, page headings). Written by scripts/demo-manuals/generate.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const DEMO_MANUALS_DIR = fileURLToPath(new URL('./', import.meta.url));

const DemoManifestSchema = z.object({
  manuals: z.array(
    z.object({
      productId: z.string().min(1),
      file: z.string().regex(/^[a-z0-9-]+\.pdf$/),
      title: z.string(),
      pages: z.number().int().positive(),
      bytes: z.number().int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      headings: z.array(z.string()),
    }),
  ),
});

export type DemoManifest = z.infer<typeof DemoManifestSchema>;
export type DemoManifestEntry = DemoManifest['manuals'][number];

export async function readDemoManifest(dir = DEMO_MANUALS_DIR): Promise<DemoManifest> {
  return DemoManifestSchema.parse(JSON.parse(await readFile(`${dir}manifest.json`, 'utf8')));
}

/** The bytes of one demo manual (the file name comes from the manifest, never from a request). */
export function readDemoManual(entry: DemoManifestEntry, dir = DEMO_MANUALS_DIR): Promise<Buffer> {
  return readFile(`${dir}${entry.file}`);
}
