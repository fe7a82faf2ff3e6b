/**
 * Decompression-bomb PDFs (issue #24, finding 4), written byte by byte: every page of the document points
 * at one shared, compressed content stream, so the file grows by a few dozen bytes per page while the
 * extracted text grows by the whole stream's text. The attack: 472 KB → 3,000 pages, 21 MB of
 * text, 33,000 chunks. The text is real sentences (varied, so chunking and full-text indexing do their
 * full work on it, as they would on a real attack).
 */
import { deflateSync } from 'node:zlib';

export interface BombOptions {
  pages: number;
  /** Lines of text on the shared page (each about 90 characters). */
  linesPerPage?: number;
}

const WORDS =
  'press hold the button until display shows menu select pattern tempo volume then release and wait for the light to stop flashing before you turn the unit off reset settings factory restore'.split(
    ' ',
  );

/** A line of sentence-like text, different for each line so chunks are not all one string. */
function line(n: number): string {
  const words: string[] = [];
  let x = Math.imul(n + 1, 2_654_435_761) >>> 0;
  for (let i = 0; i < 14; i += 1) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    words.push(WORDS[(x >>> 16) % WORDS.length]!);
  }
  const sentence = words.join(' ');
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)} ${n}.`;
}

export function bombPdf({ pages, linesPerPage = 80 }: BombOptions): Buffer {
  const content = [
    'BT /F1 9 Tf 11 TL 36 760 Td',
    ...Array.from({ length: linesPerPage }, (_, i) => `(${line(i)}) '`),
    'ET',
  ].join('\n');
  const stream = deflateSync(Buffer.from(content, 'latin1'), { level: 9 });

  // Objects: 1 catalog, 2 page tree (holds the shared resources and media box), 3 font, 4 the one
  // content stream, 5… the pages, each only a parent and the shared contents.
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const write = (piece: string | Buffer) => {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece;
    parts.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, body: string | Buffer[]) => {
    offsets[n] = length;
    write(`${n} 0 obj\n`);
    if (typeof body === 'string') write(body);
    else for (const piece of body) write(piece);
    write('\nendobj\n');
  };
  const firstPage = 5;
  write('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  const kids = Array.from({ length: pages }, (_, i) => `${firstPage + i} 0 R`).join(' ');
  object(
    2,
    `<< /Type /Pages /Count ${pages} /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Kids [${kids}] >>`,
  );
  object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  object(4, [
    Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
    stream,
    Buffer.from('\nendstream', 'latin1'),
  ]);
  for (let i = 0; i < pages; i += 1) object(firstPage + i, '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>');

  const size = firstPage + pages;
  const xref = length;
  write(`xref\n0 ${size}\n0000000000 65535 f \n`);
  for (let n = 1; n < size; n += 1) write(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  write(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
