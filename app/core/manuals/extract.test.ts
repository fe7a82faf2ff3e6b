import { beforeAll, describe, expect, it } from 'vitest';
import { chooseExtractor, extractWithPdfjs, extractWithPdftotext, type Extractor } from './extract.js';
import { ManualExtractError } from './errors.js';
import { readDemoManifest, readDemoManual } from './demo/manifest.js';
import { renderImageOnlyPdf, renderManualPdf } from '../../../scripts/demo-manuals/render.js';
import { bombPdf } from '../../../test/manuals/helpers/bomb-pdf.js';

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
  ['pdf.js child process', extractWithPdfjs],
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

  it('a PDF over the page bound is refused, permanently, before its pages are read; one at the bound is read', async () => {
    // 300 pages sharing one content stream, a few kilobytes: a small decompression bomb (issue #24).
    const bomb = bombPdf({ pages: 300, linesPerPage: 5 });
    const error = await extract(bomb, { maxPages: 299 }).then(
      () => undefined,
      (e: unknown) => e as ManualExtractError,
    );
    expect(error?.code).toBe('too_many_pages');
    expect(error?.permanent).toBe(true);
    expect(error?.message).toMatch(/more than 299 pages for a \d+ KB file, which is refused/);
    expect((await extract(bomb, { maxPages: 300 })).pageCount).toBe(300);
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
    expect(error?.code).toBe('too_much_text');
    expect(error?.message).toMatch(/more than/);
  });
});

describe('pdf.js child process limits', () => {
  // Hostile files: objects nested far deeper than any real PDF, and a content stream that claims
  // a billion pages. Whatever pdf.js does with them happens in the child; this process only sees a verdict.
  const nested = Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X ${'['.repeat(200_000)} >>\nendobj\n` +
      `2 0 obj\n<< /Type /Pages /Count 1000000000 /Kids [2 0 R] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );

  it('a hostile PDF ends in a permanent error, and this process is untouched', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const error = await failure((pdf) => extractWithPdfjs(pdf, { timeoutMs: 20_000 }), nested);
    expect(['corrupt_pdf', 'extractor_failed']).toContain(error.code);
    expect(error.permanent).toBe(true);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('the child is killed at the timeout', async () => {
    const error = await failure((pdf) => extractWithPdfjs(pdf, { timeoutMs: 30 }), demo);
    expect(error.code).toBe('extractor_failed');
    expect(error.message).toMatch(/took longer than/);
  });

  it('a child over its heap cap dies alone, as a damaged-file failure', async () => {
    // 4 MB of heap cannot even hold pdf.js: the child runs out of memory and only it dies.
    const error = await failure((pdf) => extractWithPdfjs(pdf, { maxHeapMb: 4 }), demo);
    expect(error.code).toBe('corrupt_pdf');
    expect(error.permanent).toBe(true);
  });
});

describe('chooseExtractor', () => {
  it('prefers pdftotext where it is installed and falls back to pdf.js where it is not', async () => {
    expect((await chooseExtractor()).name).toBe('pdftotext');
    const bare = await chooseExtractor('/nonexistent-bin');
    expect(bare.name).toBe('pdfjs');
    expect((await bare.extract(demo)).pageCount).toBe(7);
  });
});
