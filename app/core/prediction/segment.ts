/**
 * Another reading of a word typed without spaces ("keystation88mk3", "rv50neck", "mcasterlive"): the
 * pieces a product must hold for the word to name it. Letter/digit runs are pieces of their own
 * ("keystation", "88", "mk", "3"), so a product printing them with any spacing ("Keystation 88 mk3")
 * meets them; a letter run the vocabulary does not hold as one term is cut into terms it does hold
 * ("digitalpiano" → "digital", "piano"), each cut leaving at least MIN_INNER_PIECE letters on both sides
 * so a typo is not explained away as two short words. Stopwords typed inside ("coverfor") are dropped.
 */
import { STOPWORDS } from './normalize.js';

/** What the reading needs to know about the vocabulary. */
export interface Vocabulary {
  /** Term id of `word`, or -1. */
  find(word: string): number;
  /** True when some term starts with `word`. */
  hasPrefix(word: string): boolean;
}

/** How a piece is looked up: as a whole term, as the start of a term (being typed), or with typos. */
export type PieceMatch = 'exact' | 'prefix' | 'fuzzy';

export interface Piece {
  text: string;
  match: PieceMatch;
}

/** Pieces cut inside a letter run must be at least this long ("digital|piano", never "rol|nd"). */
const MIN_INNER_PIECE = 3;
/** Longest word read as pieces; longer input is noise. */
const MAX_READ_LENGTH = 32;
const RUNS = /\p{L}+|\p{N}+/gu;

/**
 * The pieces of `word`, or undefined when it has no reading besides itself. `typing`: the word is still
 * being typed, its last piece may be the start of a term. `fuzzy`: a run the vocabulary does not know is
 * kept for a lookup with typos (off for a word the vocabulary knows: no typo is needed to explain it).
 */
export function readPieces(word: string, vocabulary: Vocabulary, typing: boolean, fuzzy: boolean): Piece[] | undefined {
  if (word.length > MAX_READ_LENGTH) return undefined;
  const runs = word.match(RUNS) ?? [];
  const pieces: Piece[] = [];
  let dropped = false;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const last = typing && r === runs.length - 1;
    const whole = runs.length === 1;
    if (!whole) {
      if (vocabulary.find(run) >= 0) {
        pieces.push({ text: run, match: 'exact' });
        continue;
      }
      if (last && vocabulary.hasPrefix(run)) {
        pieces.push({ text: run, match: 'prefix' });
        continue;
      }
    }
    const split = splitLetters(run, vocabulary, last, !whole);
    if (split) {
      dropped ||= split.dropped;
      pieces.push(...split.pieces);
    } else if (fuzzy && !whole) {
      pieces.push({ text: run, match: 'fuzzy' });
    } else {
      return undefined;
    }
  }
  if (pieces.length < (dropped ? 1 : 2) || pieces.every((piece) => piece.match === 'fuzzy')) return undefined;
  return pieces;
}

/**
 * The fewest known terms (and stopwords) a letter run splits into, or undefined. `mayBeWhole`: the run
 * itself counts as a split of one piece (it is one run among others in the word).
 */
function splitLetters(
  run: string,
  vocabulary: Vocabulary,
  typing: boolean,
  mayBeWhole: boolean,
): { pieces: Piece[]; dropped: boolean } | undefined {
  const n = run.length;
  if (n < 2 * MIN_INNER_PIECE || /\p{N}/u.test(run[0]!)) return undefined;
  const cost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1).fill(-1);
  const how: (PieceMatch | 'stopword')[] = new Array(n + 1);
  cost[0] = 0;
  for (let start = 0; start < n; start++) {
    if (!Number.isFinite(cost[start]!)) continue;
    for (let end = start + MIN_INNER_PIECE; end <= n; end++) {
      if (start === 0 && end === n && !mayBeWhole) continue;
      const piece = run.slice(start, end);
      let match: PieceMatch | 'stopword' | undefined;
      if (vocabulary.find(piece) >= 0) match = 'exact';
      else if (STOPWORDS.has(piece)) match = 'stopword';
      else if (typing && end === n && vocabulary.hasPrefix(piece)) match = 'prefix';
      if (!match) continue;
      // A prefix is a guess about what is still to come: a whole term is preferred.
      const step = match === 'prefix' ? 1.2 : 1;
      if (cost[start]! + step < cost[end]!) {
        cost[end] = cost[start]! + step;
        from[end] = start;
        how[end] = match;
      }
    }
  }
  if (!Number.isFinite(cost[n]!)) return undefined;
  const pieces: Piece[] = [];
  let dropped = false;
  for (let end = n; end > 0; end = from[end]!) {
    const match = how[end]!;
    if (match === 'stopword') dropped = true;
    else pieces.push({ text: run.slice(from[end]!, end), match });
  }
  return { pieces: pieces.reverse(), dropped };
}
