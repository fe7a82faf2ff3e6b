/**
 * Generates the demo manuals (app/core/manuals/demo/*.pdf) and their manifest from the text in
 * scripts/demo-manuals/content.ts, so `npm start` shows the whole manual flow with no network.
 * Deterministic: running it twice gives the same bytes. Run: npm run demo-manuals
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEMO_MANUALS } from './content.js';
import { renderManualPdf } from './render.js';
import type { DemoManifest } from '../../app/core/manuals/demo/manifest.js';

const DEMO_DIR = fileURLToPath(new URL('../../app/core/manuals/demo/', import.meta.url));

const manifest: DemoManifest = { manuals: [] };
for (const manual of DEMO_MANUALS) {
  const pdf = await renderManualPdf(manual.pages, { title: manual.title });
  await writeFile(`${DEMO_DIR}${manual.file}`, pdf);
  manifest.manuals.push({
    productId: manual.productId,
    file: manual.file,
    title: manual.title,
    pages: manual.pages.length,
    bytes: pdf.length,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    headings: manual.pages.map((p) => p.heading),
  });
  console.log(`${manual.file}: ${manual.pages.length} pages, ${pdf.length} bytes`);
}
await writeFile(`${DEMO_DIR}manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
