/**
 * Renders an evaluation manual (./spec.ts) to PDF with the layout it names: pdfkit (A5 single column,
 * or A5 landscape in two columns, blocks flowing from column to column and page to page) or Chromium's print to
 * PDF of an HTML page (A5 single column, or A5 landscape with CSS columns; `<ol>` lists numbered by CSS
 * markers, caution boxes, running header and footer). The generators differ in how they break lines,
 * number steps and place labels, which is the point: the answerer must not depend on one of them.
 */
import PDFDocument from 'pdfkit';
import type { Browser } from 'playwright-core';
import { collect, FIXED_DATE } from '../../../scripts/demo-manuals/render.js';
import { isProcedure, type CautionKind, type ManualSpec, type Numbering } from './spec.js';

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'step'; marker: string; text: string; n: number }
  | { kind: 'caution'; label: CautionKind; text: string };

export function marker(numbering: Numbering, n: number): string {
  switch (numbering) {
    case 'dot':
      return `${n}.`;
    case 'step':
      return `Step ${n}`;
    case 'paren':
      return `(${n})`;
    case 'alpha':
      return `${String.fromCharCode(96 + n)})`;
  }
}

/** The manual as a run of blocks in reading order. */
export function blocksOf(spec: ManualSpec): Block[] {
  const out: Block[] = [];
  for (const section of spec.sections) {
    out.push({ kind: 'heading', text: section.heading });
    if (!isProcedure(section)) {
      for (const text of section.paragraphs) out.push({ kind: 'paragraph', text });
      continue;
    }
    out.push({ kind: 'paragraph', text: section.intro });
    const cautionsAt = (at: number) =>
      section.cautions
        .filter((c) => c.at === at)
        .map((c) => ({ kind: 'caution' as const, label: c.kind, text: c.text }));
    out.push(...cautionsAt(0));
    section.steps.forEach((text, i) => {
      out.push({ kind: 'step', marker: marker(spec.numbering, i + 1), text, n: i + 1 });
      out.push(...cautionsAt(i + 1));
    });
    if (section.after) out.push({ kind: 'paragraph', text: section.after });
  }
  return out;
}

// ---- pdfkit

async function renderWithPdfkit(spec: ManualSpec, columns: 1 | 2): Promise<Buffer> {
  const margin = 42;
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: 'A5',
    layout: columns === 1 ? 'portrait' : 'landscape',
    margin,
    info: { Title: spec.title, Producer: 'HSC-JIT evaluation', CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
  });
  const done = collect(doc);
  const gap = 22;
  let page = 0;
  let column = 0;
  let y = 0;
  const width = () => (doc.page.width - 2 * margin - (columns - 1) * gap) / columns;
  const left = () => margin + column * (width() + gap);
  const top = margin + 24;
  const bottom = () => doc.page.height - margin - 20;
  const newPage = () => {
    doc.addPage();
    page += 1;
    column = 0;
    y = top;
    doc.font('Helvetica').fontSize(8).fillColor('#777');
    doc.text(spec.title, margin, margin - 14, { width: doc.page.width - 2 * margin, lineBreak: false });
    // Writing inside the bottom margin would make pdfkit start a page: lift the margin for the footer.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(String(page), margin, doc.page.height - margin + 10, {
      width: doc.page.width - 2 * margin,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
    doc.fillColor('#000');
  };
  /** Room for `height` in this column, or the next column, or the next page. */
  const place = (height: number) => {
    if (y + height <= bottom()) return;
    if (column + 1 < columns) {
      column += 1;
      y = top;
    } else newPage();
  };
  newPage();
  const body = columns === 1 ? 9.5 : 9;
  for (const block of blocksOf(spec)) {
    if (block.kind === 'heading') {
      doc.font('Helvetica-Bold').fontSize(12.5);
      // A heading keeps its first line of text with it.
      place(doc.heightOfString(block.text, { width: width() }) + 30);
      y += 6;
      doc.text(block.text, left(), y, { width: width() });
      y = doc.y + 5;
    } else if (block.kind === 'paragraph') {
      doc.font('Helvetica').fontSize(body);
      place(doc.heightOfString(block.text, { width: width(), lineGap: 1.5 }));
      doc.text(block.text, left(), y, { width: width(), lineGap: 1.5 });
      y = doc.y + 5;
    } else if (block.kind === 'step') {
      doc.font('Helvetica').fontSize(body);
      const indent = block.marker.startsWith('Step') ? 36 : 20;
      const h = doc.heightOfString(block.text, { width: width() - indent, lineGap: 1.5 });
      place(h);
      doc.font('Helvetica-Bold').text(block.marker, left(), y, { width: indent, lineBreak: false });
      doc.font('Helvetica').text(block.text, left() + indent, y, { width: width() - indent, lineGap: 1.5 });
      y = doc.y + 4;
    } else {
      // Two-column pages print the label on its own line; single-column ones run it into the text.
      const inline = columns === 1;
      const inner = width() - 14;
      doc.font('Helvetica').fontSize(body - 0.5);
      const text = inline ? `${block.label}: ${block.text}` : block.text;
      const h = doc.heightOfString(text, { width: inner, lineGap: 1 }) + (inline ? 0 : 13) + 8;
      place(h);
      doc.rect(left(), y, 3, h - 4).fill('#c60');
      doc.fillColor('#000');
      let ty = y + 2;
      if (!inline) {
        doc.font('Helvetica-Bold').text(block.label, left() + 12, ty, { width: inner });
        ty = doc.y + 1;
      }
      doc.font('Helvetica').text(text, left() + 12, ty, { width: inner, lineGap: 1 });
      y = doc.y + 8;
    }
  }
  doc.end();
  return done;
}

// ---- Chromium

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const MARKER_CSS: Record<Numbering, string> = {
  dot: 'counter(list-item) ". "',
  step: '"Step " counter(list-item) "  "',
  paren: '"(" counter(list-item) ") "',
  alpha: 'counter(list-item, lower-alpha) ") "',
};

export function htmlOf(spec: ManualSpec, columns: 1 | 2): string {
  const parts: string[] = [];
  let open = false;
  for (const block of blocksOf(spec)) {
    if (block.kind !== 'step' && open) {
      parts.push('</ol>');
      open = false;
    }
    if (block.kind === 'heading') parts.push(`<h2>${escapeHtml(block.text)}</h2>`);
    else if (block.kind === 'paragraph') parts.push(`<p>${escapeHtml(block.text)}</p>`);
    else if (block.kind === 'caution')
      parts.push(`<div class="caution"><strong>${block.label}</strong><p>${escapeHtml(block.text)}</p></div>`);
    else {
      if (!open) parts.push(`<ol start="${block.n}">`);
      open = true;
      parts.push(`<li>${escapeHtml(block.text)}</li>`);
    }
  }
  if (open) parts.push('</ol>');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(spec.title)}</title><style>
    body { font: 10pt/1.4 "DejaVu Serif", Georgia, serif; margin: 0; ${columns === 2 ? 'column-count: 2; column-gap: 8mm;' : ''} }
    h1 { font: bold 15pt sans-serif; column-span: all; }
    h2 { font: bold 12pt "DejaVu Sans", sans-serif; margin: 10pt 0 4pt; break-after: avoid; }
    p { margin: 0 0 5pt; }
    ol { padding-left: 0; margin: 0 0 5pt; list-style-position: inside; }
    li { margin: 0 0 3pt; }
    li::marker { content: ${MARKER_CSS[spec.numbering]}; font-weight: bold; }
    .caution { border: 1px solid #c60; border-left-width: 4px; padding: 4pt 6pt; margin: 4pt 0 6pt; break-inside: avoid; }
    .caution strong { display: block; font: bold 9pt sans-serif; color: #a40; }
    .caution p { margin: 0; }
  </style></head><body><h1>${escapeHtml(spec.title)}</h1>${parts.join('\n')}</body></html>`;
}

async function renderWithChromium(browser: Browser, spec: ManualSpec, columns: 1 | 2): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(htmlOf(spec, columns), { waitUntil: 'load' });
    return await page.pdf({
      format: 'A5',
      landscape: columns === 2,
      margin: { top: '18mm', bottom: '16mm', left: '14mm', right: '14mm' },
      displayHeaderFooter: true,
      headerTemplate: `<div style="font-size:7pt;width:100%;margin:0 14mm;color:#777">${escapeHtml(spec.title)}</div>`,
      footerTemplate:
        '<div style="font-size:7pt;width:100%;text-align:center;color:#777"><span class="pageNumber"></span></div>',
    });
  } finally {
    await page.close();
  }
}

/** The manual as a PDF, in its layout; `browser` is needed for the Chromium layouts. */
export function renderEvaluationManual(spec: ManualSpec, browser: Browser): Promise<Buffer> {
  switch (spec.layout) {
    case 'pdfkit-single':
      return renderWithPdfkit(spec, 1);
    case 'pdfkit-columns':
      return renderWithPdfkit(spec, 2);
    case 'chromium-single':
      return renderWithChromium(browser, spec, 1);
    case 'chromium-columns':
      return renderWithChromium(browser, spec, 2);
  }
}
