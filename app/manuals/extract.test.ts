import { beforeAll, describe, expect, it } from 'vitest';
import { extractWithPdfjs, extractWithPdftotext, type Extractor } from './extract.js';
import { ManualExtractError } from './errors.js';
import { readDemoManifest, readDemoManual } from './demo/manifest.js';
import { renderImageOnlyPdf, renderManualPdf } from '../../scripts/demo-manuals/render.js';

let demo: Buffer;
let encrypted: Buffer;
let imageOnly: Buffer;
let truncated: Buffer;
const junk = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3_000, 0x41)]);

beforeAll(async () => {
  const manifest = await readDemoManifest();
  const tr8s = manifest.manuals.find((m) => m.productId === 'roland_87-tr8s');
  if (!tr8s) throw new Error('demo manifest lacks the TR-8S manual');
  demo = await readDemoManual(tr8s);
  const page = [{ heading: 'Secret', paragraphs: ['The reset code is 1234.'] }];
  encrypted = await renderManualPdf(page, { title: 'Encrypted', userPassword: 'hunter2' });
  imageOnly = await renderImageOnlyPdf(3);
  truncated = (await renderManualPdf(page, { title: 'Truncated' })).subarray(0, 600);
});

async function failure(extract: Extractor, pdf: Buffer): Promise<ManualExtractError> {
  const error = await extract(pdf).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ManualExtractError);
  return error as ManualExtractError;
}

describe.each([
  ['pdftotext', extractWithPdftotext],
  ['pdf.js worker', extractWithPdfjs],
] as const)('%s', (_name, extract) => {
  it('returns the text of each page and the page count', async () => {
    const manual = await extract(demo);
    expect(manual.pageCount).toBe(7);
    expect(manual.pages).toHaveLength(7);
    expect(manual.pages[4]).toContain('Restoring the factory settings');
    expect(manual.pages[4]).toContain('hold the SAMPLE button');
    expect(manual.pages[3]).toContain('MIDI channel 10');
    expect(manual.pages[0]).not.toContain('SAMPLE button');
  });

  it('an encrypted PDF fails permanently, saying so', async () => {
    const error = await failure(extract, encrypted);
    expect(error.code).toBe('encrypted_pdf');
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/password-protected/);
  });

  it('an image-only PDF fails permanently: no text to search', async () => {
    const error = await failure(extract, imageOnly);
    expect(error.code).toBe('no_text');
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/3 pages hold no text/);
  });

  it('a truncated or junk PDF fails permanently as damaged', async () => {
    for (const pdf of [truncated, junk]) {
      const error = await failure(extract, pdf);
      expect(error.code).toBe('corrupt_pdf');
      expect(error.permanent).toBe(true);
      expect(error.message).toMatch(/damaged or not a valid PDF/);
    }
  });
});

describe('pdftotext limits', () => {
  it('a cancelled extraction ends with a retryable error', async () => {
    const controller = new AbortController();
    const pending = extractWithPdftotext(demo, { signal: controller.signal });
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e as ManualExtractError,
    );
    expect(error?.message).toMatch(/cancelled/);
    expect(error?.permanent).toBe(false);
  });

  it('refuses output past the cap', async () => {
    const error = await extractWithPdftotext(demo, { maxOutputBytes: 1_000 }).then(
      () => undefined,
      (e: unknown) => e as ManualExtractError,
    );
    expect(error?.code).toBe('extractor_failed');
    expect(error?.message).toMatch(/more than/);
  });
});
