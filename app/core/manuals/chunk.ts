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
  /** Chunking stops at the end of the page that passes this: the caller refuses such a manual (./bounds.ts). */
  maxChunks?: number;
}

export const CHUNK_DEFAULTS = { targetChars: 700, maxChars: 900, overlapChars: 220 } as const;

interface Unit {
  text: string;
  heading: boolean;
  /** The first sentence of a paragraph (a step, a caution, a block of prose). */
  opens: boolean;
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

/**
 * A line that opens a manual's structural item: a numbered step ("1.", "2)", "(3)", "a)", "Step 4")
 * or a labelled caution ("WARNING", "Note:"). It starts a paragraph of its own, and is never a heading
 * even when it stands alone on its line (a label above its box, a step number in its own column).
 */
export const STEP_MARKER = /^(?:\(?\d{1,2}[.)]|\(\d{1,2}\)|[a-z]\)|step\s+\d{1,2}\b\s*[:.)-]?|[•▪●■◦*–-])(?=\s|$)/i;
const LABEL_WORDS = new Set('caution warning danger important notice note notes attention tip hint'.split(' '));

/**
 * The caution label a line opens with ("WARNING", "Note:", "CAUTION –"), or undefined. A label word
 * followed by text counts only with punctuation or before a capitalised word ("WARNING Do not…"), so
 * "Note the serial number" and the heading "IMPORTANT SAFETY INSTRUCTIONS" are not labels.
 */
export function cautionLabel(line: string): { label: string; rest: string } | undefined {
  const match = /^(\p{L}+)(\s*[:!.\-–—]\s*|\s+|$)(.*)$/u.exec(line);
  if (!match || !LABEL_WORDS.has(match[1]!.toLowerCase())) return undefined;
  const [, word, gap, rest] = match as unknown as [string, string, string, string];
  if (rest !== '' && gap.trim() === '' && !/^\p{Lu}\p{Ll}/u.test(rest)) return undefined;
  return { label: word.toUpperCase(), rest };
}

/**
 * A line that ends where a title cannot: on a comma or a word that needs the next one ("of", "the").
 * Not particles a title may end with ("Turning the power on", "Signing in").
 */
const ENDS_MID_SENTENCE = /(?:,|\b(?:a|an|the|and|or|of|with|from|by|into|onto|including|than|is|are)\s*)$/i;
/** A sentence that ends inside the line and another that starts after it: prose, not a title. */
const HOLDS_SENTENCE_END = /[.!?]\s+\p{Lu}/u;

/**
 * A short line without closing punctuation that starts a block reads as a heading, not as prose. In a
 * narrow column every line of a paragraph is short, so a line the text runs on from (the next line
 * goes on in lower case) or that breaks off mid-phrase is a wrapped line, whatever came before it.
 */
function isHeadingLine(line: string, previous: string | undefined, next: string | undefined): boolean {
  return (
    line.length <= 60 &&
    !TERMINAL.test(line) &&
    !STEP_MARKER.test(line) &&
    !cautionLabel(line) &&
    !ENDS_MID_SENTENCE.test(line) &&
    !HOLDS_SENTENCE_END.test(line) &&
    !(next !== undefined && /^\p{Ll}/u.test(next)) &&
    (previous === undefined || previous === '' || TERMINAL.test(previous))
  );
}

/**
 * Lines that repeat at the top or bottom of the pages (the manual's title, "page 4", a bare page
 * number) are page furniture: read as headings they would cut a procedure that crosses a page in two.
 */
function withoutFurniture(pages: readonly string[][]): string[][] {
  const key = (line: string) => line.toLowerCase().replace(/\d+/g, '#');
  const edges = (lines: readonly string[]) => {
    const filled = lines.filter((l) => l !== '');
    return new Set([...filled.slice(0, 2), ...filled.slice(-2)].map(key));
  };
  const counts = new Map<string, number>();
  for (const lines of pages) for (const k of edges(lines)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const repeated = (line: string) => pages.length >= 2 && (counts.get(key(line)) ?? 0) >= Math.max(2, pages.length / 2);
  return pages.map((lines) => {
    const filled = lines.map((l, i) => ({ l, i })).filter(({ l }) => l !== '');
    const edge = new Set([...filled.slice(0, 2), ...filled.slice(-2)].map(({ i }) => i));
    return lines.filter((line, i) => !(edge.has(i) && (/^\d{1,4}$/.test(line) || repeated(line))));
  });
}

function pageUnits(lines: readonly string[]): Unit[] {
  const units: Unit[] = [];
  let paragraph: string[] = [];
  // A caution label or a step number that stood alone on its line, waiting for the text it heads.
  let label = '';
  const flush = () => {
    if (paragraph.length === 0) return;
    for (const [i, sentence] of splitSentences(paragraph.join(' ')).entries())
      units.push({ text: sentence, heading: false, opens: i === 0 });
    paragraph = [];
  };
  let previous: string | undefined;
  for (const [index, line] of lines.entries()) {
    const labelled = cautionLabel(line);
    if (line === '') {
      if (!label) flush();
    } else if (labelled) {
      // One form for every layout: "NOTE: text", whether the label headed a box or ran into the text.
      flush();
      if (labelled.rest === '') label = `${labelled.label}: `;
      else paragraph.push(`${labelled.label}: ${labelled.rest}`);
    } else if (label) {
      paragraph.push(`${label}${line}`);
      label = '';
    } else if (STEP_MARKER.test(line)) {
      flush();
      // A step number alone on its line (set in a column of its own) numbers the text that follows.
      if (line.replace(STEP_MARKER, '').trim() === '') label = `${line} `;
      else paragraph.push(line);
    } else if (isHeadingLine(line, previous, lines[index + 1])) {
      flush();
      units.push({ text: line, heading: true, opens: true });
    } else {
      paragraph.push(line);
    }
    if (line !== '') previous = line;
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
  const maxChunks = options.maxChunks ?? Number.POSITIVE_INFINITY;
  const chunks: ManualChunk[] = [];
  for (const [index, lines] of withoutFurniture(pages.map((page) => normalise(page).split('\n'))).entries()) {
    if (chunks.length > maxChunks) break;
    const page = index + 1;
    let heading: string | undefined;
    let current: { text: string; opens: boolean }[] = [];
    let length = 0;
    let fresh = 0; // sentences in `current` that are not overlap from the previous chunk
    const emit = () => {
      if (fresh === 0) return;
      // Paragraphs (a step, a caution) stay on lines of their own: the answer model reads items by them.
      const text = current.map((s, i) => (i === 0 ? '' : s.opens ? '\n' : ' ') + s.text).join('');
      chunks.push({ page, ord: chunks.length, ...(heading ? { heading } : {}), text });
      const last = current.at(-1);
      current = last && last.text.length <= overlapChars ? [last] : [];
      length = current.reduce((n, s) => n + s.text.length + 1, 0);
      fresh = 0;
    };
    for (const unit of pageUnits(lines)) {
      if (unit.heading) {
        // A new section starts a new chunk, so the heading describes everything in it.
        emit();
        current = [];
        length = 0;
        heading = unit.text;
        continue;
      }
      for (const [i, sentence] of splitLong(unit.text, maxChars).entries()) {
        if (fresh > 0 && length + sentence.length + 1 > targetChars) emit();
        if (length + sentence.length + 1 > maxChars) {
          current = [];
          length = 0;
        }
        current.push({ text: sentence, opens: unit.opens && i === 0 });
        length += sentence.length + 1;
        fresh++;
      }
    }
    emit();
  }
  return chunks;
}
