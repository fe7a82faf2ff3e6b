/**
 * Decompression-bomb PDFs (issue #24, finding 4), written byte by byte: every page of the document points
 * at one shared, compressed content stream, so the file grows by a few dozen bytes per page while the
 * extracted text grows by the whole stream's text. The issue's attacks: 472 KB → 3,000 pages, 21 MB of
 * text, 33,000 chunks; 741 KB → 51,700 chunks. With `resourcesPerPage` and 100 lines (73 of them on the
 * page, 11 chunks' worth), this writes them as measured with pdftotext and chunkPages unbounded: 3,000
 * pages in 474,703 bytes → 19.4 MB, 33,000 chunks; 4,700 pages in 743,303 bytes → 30.3 MB, 51,700
 * chunks, in tens of milliseconds. The text is real sentences (varied, so chunking and full-text
 * indexing do their full work on it, as they would on a real attack).
 */
import { deflateSync } from 'node:zlib';

export interface BombOptions {
  pages: number;
  /** Lines of text on the shared page (each about 90 characters). */
  linesPerPage?: number;
  /**
   * Each page carries its own media box and font resources, as common PDF writers put them, instead of
   * inheriting them from the page tree: about 155 bytes a page instead of 95. The files are
   * this size (472 KB for 3,000 pages, 741 KB for 4,700); the size matters where a bound is relative to it.
   */
  resourcesPerPage?: boolean;
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

export function bombPdf({ pages, linesPerPage = 80, resourcesPerPage = false }: BombOptions): Buffer {
  const content = [
    // 9 pt Helvetica on a 10.5 pt leading from the top: 73 lines fit the page; text-layer readers such as
    // pdftotext drop what falls below it, so that is the text each page yields.
    'BT /F1 9 Tf 10.5 TL 36 770 Td',
    ...Array.from({ length: linesPerPage }, (_, i) => `(${line(i)}) '`),
    'ET',
  ].join('\n');
  const stream = deflateSync(Buffer.from(content, 'latin1'), { level: 9 });

  // Objects: 1 catalog, 2 page tree (holds the shared resources and media box), 3 font, 4 the one
  // content stream, 5… the pages, each a parent and the shared contents (and, if asked, their own copy
  // of the resources and media box).
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
  const shared = '/MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>';
  object(2, `<< /Type /Pages /Count ${pages} ${shared} /Kids [${kids}] >>`);
  object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  object(4, [
    Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
    stream,
    Buffer.from('\nendstream', 'latin1'),
  ]);
  const own = resourcesPerPage ? ` ${shared} ` : ' ';
  for (let i = 0; i < pages; i += 1) object(firstPage + i, `<< /Type /Page /Parent 2 0 R${own}/Contents 4 0 R >>`);

  const size = firstPage + pages;
  const xref = length;
  write(`xref\n0 ${size}\n0000000000 65535 f \n`);
  for (let n = 1; n < size; n += 1) write(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  write(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
