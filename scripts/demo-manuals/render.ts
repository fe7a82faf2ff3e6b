/**
 * Renders manuals to PDF with pdfkit: the demo manuals (scripts/demo-manuals/generate.ts), the bench's
 * generated 100-page manual, and the bad files the tests need (encrypted, image-only). Output is
 * deterministic (fixed dates, no random IDs) so the committed demo PDFs only change when their text does.
 */
import PDFDocument from 'pdfkit';
import type { DemoPage } from './content.js';
import { mulberry32, pick } from '../../bench/queries/random.js';

export const FIXED_DATE = new Date('2025-01-01T00:00:00Z');

export interface RenderOptions {
  title: string;
  /** Encrypts the PDF with this user password (a fixture for "encrypted manual" failures). */
  userPassword?: string;
}

/** The bytes a pdfkit document writes, once it has ended. */
export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => parts.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
}

function newDocument(options: RenderOptions): PDFKit.PDFDocument {
  return new PDFDocument({
    autoFirstPage: false,
    size: 'A4',
    margin: 56,
    info: {
      Title: options.title,
      Producer: 'HSC-JIT demo manuals',
      Creator: 'HSC-JIT',
      CreationDate: FIXED_DATE,
      ModDate: FIXED_DATE,
    },
    ...(options.userPassword
      ? { userPassword: options.userPassword, ownerPassword: `${options.userPassword}-owner` }
      : {}),
  });
}

/** One PDF page per entry; throws if a page's text overflowed onto a second PDF page (page facts would shift). */
export async function renderManualPdf(pages: readonly DemoPage[], options: RenderOptions): Promise<Buffer> {
  const doc = newDocument(options);
  const done = collect(doc);
  let pdfPages = 0;
  doc.on('pageAdded', () => pdfPages++);
  pages.forEach((page, index) => {
    doc.addPage();
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor('#666')
      .text(`${options.title}  ·  page ${index + 1}`);
    doc.moveDown(1);
    // An empty heading: the page continues the previous page's section (a procedure across a page break).
    if (page.heading) {
      doc.font('Helvetica-Bold').fontSize(16).fillColor('#000').text(page.heading);
      doc.moveDown(0.6);
    }
    doc.font('Helvetica').fontSize(11);
    for (const paragraph of page.paragraphs) {
      doc.text(paragraph, { align: 'left', lineGap: 2 });
      doc.moveDown(0.6);
    }
  });
  doc.end();
  const pdf = await done;
  if (pdfPages !== pages.length)
    throw new Error(`"${options.title}": ${pages.length} pages of text became ${pdfPages} PDF pages; shorten the text`);
  return pdf;
}

/** A PDF whose pages hold only drawings (what a scanned manual looks like to a text extractor). */
export async function renderImageOnlyPdf(pageCount = 2): Promise<Buffer> {
  const doc = newDocument({ title: 'Scanned manual' });
  const done = collect(doc);
  for (let i = 0; i < pageCount; i++) {
    doc.addPage();
    doc.rect(80, 80, 400, 600).fillAndStroke('#ddd', '#333');
    doc.circle(280, 380, 120).fill('#999');
  }
  doc.end();
  return done;
}

const SUBJECTS = [
  'the sequencer',
  'the master output',
  'each pad',
  'the TD-17 module',
  'the display',
  'the USB port',
  'the MIDI clock',
  'the effects engine',
  'the battery',
  'the headphone amplifier',
  'the trigger input',
  'a scene',
];
const VERBS = [
  'stores',
  'sends',
  'receives',
  'adjusts',
  'limits',
  'controls',
  'filters',
  'synchronises',
  'protects',
  'recalls',
];
const OBJECTS = [
  'the tempo between 40 and 300 BPM',
  'all system settings',
  'note numbers on channel 10',
  'the level of every track',
  'the sample rate of 48 kHz',
  'up to 128 patterns',
  'the phantom power on input 1',
  'the brightness of the screen',
  'the velocity curve',
  'the firmware version',
];
const ADVICE = [
  'Press SHIFT and turn the VALUE knob to change it.',
  'Save your work before you switch the power off.',
  'Refer to the troubleshooting chapter if nothing happens.',
  'Hold the button for two seconds to confirm.',
  'The setting is kept when the power is switched off.',
];

/** The bench's manual: `pageCount` pages of varied, sentence-shaped text, each its own chapter. */
export function generatedManualPages(pageCount = 100, seed = 17): DemoPage[] {
  // The bench's seeded PRNG, so the generated manual is the same on every run.
  const random = mulberry32(seed);
  return Array.from({ length: pageCount }, (_, i) => ({
    heading: `Chapter ${i + 1}: ${pick(random, SUBJECTS).replace(/^the /, '')}`,
    paragraphs: Array.from({ length: 5 }, () =>
      Array.from({ length: 4 }, () => {
        const subject = pick(random, SUBJECTS);
        return `${subject[0]?.toUpperCase()}${subject.slice(1)} ${pick(random, VERBS)} ${pick(random, OBJECTS)}. ${pick(random, ADVICE)}`;
      }).join(' '),
    ),
  }));
}

export function renderGeneratedManual(pageCount = 100): Promise<Buffer> {
  return renderManualPdf(generatedManualPages(pageCount), { title: `Generated ${pageCount}-page manual` });
}
