/**
 * Splits extracted pages into retrieval chunks. A chunk never crosses a page boundary (a citation names
 * one page), is cut between sentences (an extractive answer quotes whole sentences), is sized for
 * full-text ranking (~500-800 characters: long enough for context, short enough that the best passage
 * is not diluted), and repeats the previous chunk's last sentence so a fact that straddles a cut is
 * still found whole in one of the two.
 */
export interface ManualChunk {
  /** 1-based page number. */
  page: number;
  /** Position in the whole manual, 0-based, rising with page and position on the page. */
  ord: number;
  /** The heading above this text on its page, when one was recognised; indexed with the chunk. */
  heading?: string;
  text: string;
}

export interface ChunkOptions {
  /** A chunk is closed once adding the next sentence would pass this. */
  targetChars?: number;
  /** No chunk is longer (a longer sentence is cut at word boundaries). */
  maxChars?: number;
  /** The last sentence of a chunk is repeated at the start of the next when it is at most this long. */
  overlapChars?: number;
}

export const CHUNK_DEFAULTS = { targetChars: 700, maxChars: 900, overlapChars: 220 } as const;

interface Unit {
  text: string;
  heading: boolean;
}

const TERMINAL = /[.!?:;)"']$/;
const SENTENCE_END = /(?<=[.!?])\s+(?=["'([]?[\p{Lu}\p{N}])/u;

/** Sentences of one block of prose (also used by the extractive answer model to quote whole sentences). */
export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function normalise(page: string): string {
  return (
    page
      .replace(/\r\n?/g, '\n')
      .replace(/[^\S\n]+/g, ' ')
      // "configu-\nration" → "configuration"; "TD-\n17" → "TD-17" (a model code keeps its hyphen).
      .replace(/(\p{Ll})-\n(\p{Ll})/gu, '$1$2')
      .replace(/([\p{Lu}\d])-\n([\p{Lu}\d])/gu, '$1-$2')
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
  );
}

/** A short line without closing punctuation that starts a block reads as a heading, not as prose. */
function isHeadingLine(line: string, previous: string | undefined): boolean {
  return (
    line.length <= 60 && !TERMINAL.test(line) && (previous === undefined || previous === '' || TERMINAL.test(previous))
  );
}

function pageUnits(page: string): Unit[] {
  const units: Unit[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    for (const sentence of splitSentences(paragraph.join(' '))) units.push({ text: sentence, heading: false });
    paragraph = [];
  };
  let previous: string | undefined;
  for (const line of normalise(page).split('\n')) {
    if (line === '') {
      flush();
    } else if (isHeadingLine(line, previous)) {
      flush();
      units.push({ text: line, heading: true });
    } else {
      paragraph.push(line);
    }
    previous = line;
  }
  flush();
  return units;
}

function splitLong(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const cut = rest.lastIndexOf(' ', maxChars);
    const at = cut > maxChars / 2 ? cut : maxChars;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

export function chunkPages(pages: readonly string[], options: ChunkOptions = {}): ManualChunk[] {
  const { targetChars, maxChars, overlapChars } = { ...CHUNK_DEFAULTS, ...options };
  const chunks: ManualChunk[] = [];
  pages.forEach((pageText, index) => {
    const page = index + 1;
    let heading: string | undefined;
    let current: string[] = [];
    let length = 0;
    let fresh = 0; // sentences in `current` that are not overlap from the previous chunk
    const emit = () => {
      if (fresh === 0) return;
      chunks.push({ page, ord: chunks.length, ...(heading ? { heading } : {}), text: current.join(' ') });
      const last = current.at(-1);
      current = last && last.length <= overlapChars ? [last] : [];
      length = current.reduce((n, s) => n + s.length + 1, 0);
      fresh = 0;
    };
    for (const unit of pageUnits(pageText)) {
      if (unit.heading) {
        // A new section starts a new chunk, so the heading describes everything in it.
        emit();
        current = [];
        length = 0;
        heading = unit.text;
        continue;
      }
      for (const sentence of splitLong(unit.text, maxChars)) {
        if (fresh > 0 && length + sentence.length + 1 > targetChars) emit();
        if (length + sentence.length + 1 > maxChars) {
          current = [];
          length = 0;
        }
        current.push(sentence);
        length += sentence.length + 1;
        fresh++;
      }
    }
    emit();
  });
  return chunks;
}
