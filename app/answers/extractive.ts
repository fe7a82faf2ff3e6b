/**
 * The default answer model, with no network: it picks the sentences of the retrieved chunks that best
 * match the question (question terms weighted by rarity among the candidates, a bonus when the
 * chunk's heading matches, a small one for the chunk's retrieval rank), keeps a step list with the
 * sentence that introduces it, and reads them out in manual order. So the app is useful with no LLM.
 * A how-to question gets the whole procedure instead: the block (./procedure.ts) holding the best
 * match, every step and caution in it, and the cautions the section states before it.
 */
import { splitSentences, STEP_MARKER } from '../manuals/chunk.js';
import { asksHowTo, blocksOf, hasSteps, isCaution } from './procedure.js';
import { citationsFrom, throwIfAborted, type AnswerModel, type AnswerSource, type AnswerStream } from './model.js';
import { terms } from './terms.js';
import type { Citation } from '../protocol.js';

export const EXTRACTIVE = 'extractive';

export const NOT_FOUND_ANSWER =
  "I couldn't find this in the manual. Try asking with the words the manual might use, or check the product's support page.";

export interface ExtractiveOptions {
  /** At most this many sentences (not counting a step that follows a sentence ending in ":"). */
  maxSentences?: number;
  /** A further sentence must score at least this share of the best one. */
  relativeCutoff?: number;
  /** Words per streamed piece. */
  wordsPerPiece?: number;
}

interface Candidate {
  chunk: number;
  /** Section (heading run, continued across a page break) in manual order. */
  section: number;
  /** Procedure block within the manual text (see ./procedure.ts). */
  block: number;
  heading: string | undefined;
  page: number;
  ord: number;
  index: number;
  /** Paragraph (step, caution, prose paragraph) in manual order; a paragraph may continue past a chunk. */
  paragraph: number;
  text: string;
  terms: Set<string>;
  headingTerms: Set<string>;
  score: number;
}

/** "1." left alone by the sentence splitter belongs to the step after it. */
const MARKER_ONLY = /^(?:\(?\d{1,2}[.)]|step\s+\d{1,2}[:.]?)$/i;

interface Sentence {
  text: string;
  /** The first sentence of its paragraph (chunk text keeps a step, a caution, a paragraph per line). */
  opens: boolean;
}

function sentencesOf(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const line of text.split('\n')) {
    let marker = '';
    let opens = true;
    for (const sentence of splitSentences(line)) {
      if (MARKER_ONLY.test(sentence)) marker = `${marker}${sentence} `;
      else {
        out.push({ text: `${marker}${sentence}`, opens });
        marker = '';
        opens = false;
      }
    }
    if (marker) out.push({ text: marker.trim(), opens });
  }
  return out;
}

/**
 * Every sentence of the chunks, once, in manual order, with its section: a chunk with a heading of its
 * own starts a section; one without continues the section of the chunk just before it (the rest of a
 * page, or the next page of a procedure that crossed a page break).
 */
/** A page's running header or footer ("Service Guide · page 4", "12") read as a heading: not a section. */
const RUNNING_HEADER = /\bpage\s*\d+\b|^\s*\d+\s*$/i;

function candidatesOf(chunks: readonly AnswerSource[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const inOrder = chunks.map((chunk, position) => ({ chunk, position })).sort((a, b) => a.chunk.ord - b.chunk.ord);
  let section = -1;
  let heading: string | undefined;
  let previousOrd = Number.NEGATIVE_INFINITY;
  let paragraph = -1;
  for (const { chunk, position } of inOrder) {
    const own = chunk.heading !== undefined && !RUNNING_HEADER.test(chunk.heading) ? chunk.heading : undefined;
    const continues = chunk.ord === previousOrd + 1 && (own === undefined || own === heading);
    if (chunk.ord !== previousOrd && !continues) section += 1;
    if (own !== undefined) heading = own;
    else if (!continues) heading = undefined;
    previousOrd = chunk.ord;
    const headingTerms = new Set(terms(heading ?? ''));
    sentencesOf(chunk.text).forEach(({ text, opens }, index) => {
      // Chunks overlap by a sentence: count each sentence once (the rest of the repeated sentence's
      // line goes on in its paragraph). Past a page break, a first line in lower case goes on with the
      // paragraph the page before ended in.
      const key = `${chunk.page}:${text}`;
      if (seen.has(key)) return;
      seen.add(key);
      const goesOn = continues && index === 0 && /^\p{Ll}/u.test(text) && !STEP_MARKER.test(text);
      if (opens && !goesOn) paragraph += 1;
      out.push({
        chunk: position,
        section,
        block: 0,
        page: chunk.page,
        ord: chunk.ord,
        index,
        paragraph,
        heading,
        text,
        terms: new Set(terms(text)),
        headingTerms,
        score: 0,
      });
    });
  }
  blocksOf(
    out.map((c, i) => ({
      text: c.text,
      section: c.section,
      heading: c.heading,
      continues: i > 0 && out[i - 1]!.paragraph === c.paragraph,
    })),
  ).forEach((block, i) => {
    out[i]!.block = block;
  });
  return out;
}

/** How much each question term counts: rare among the candidate sentences → more. */
type Weights = Map<string, number>;

/** Scores every candidate sentence in place; returns the best score and the question's term weights. */
function score(question: string, candidates: Candidate[], chunkCount: number): { best: number; weights: Weights } {
  const asked = new Set(terms(question));
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) if (asked.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const weights: Weights = new Map([...asked].map((t) => [t, Math.log(1 + candidates.length / (df.get(t) ?? 1))]));
  let best = 0;
  for (const c of candidates) {
    let s = 0;
    for (const [t, w] of weights) {
      if (c.terms.has(t)) s += w;
      if (c.headingTerms.has(t)) s += 0.3 * w;
    }
    if (s > 0) s += (0.15 * (chunkCount - c.chunk)) / chunkCount;
    c.score = s;
    best = Math.max(best, s);
  }
  return { best, weights };
}

function select(candidates: Candidate[], best: number, maxSentences: number, cutoff: number): Candidate[] {
  if (best === 0) {
    // Retrieval matched on stems this scorer does not share: the best chunk's opening is the honest pick.
    return candidates.filter((c) => c.chunk === 0).slice(0, 2);
  }
  const picked = [...candidates]
    .filter((c) => c.score >= best * cutoff)
    .sort((a, b) => b.score - a.score)
    .slice(0, maxSentences);
  // "To perform the reset:" is useless without the step that follows it.
  for (const c of [...picked]) {
    if (!c.text.endsWith(':')) continue;
    const next = candidates.find((n) => n.chunk === c.chunk && n.index === c.index + 1);
    if (next && !picked.includes(next)) picked.push(next);
  }
  return picked.sort(inManualOrder);
}

const inManualOrder = (a: Candidate, b: Candidate) => a.page - b.page || a.ord - b.ord || a.index - b.index;

/**
 * The procedure that answers a how-to question. Candidates are the blocks that tell the reader what to
 * do (a block that only describes stands for the next block of its section, when that one has steps);
 * the one whose text and heading together cover the most of the question wins (ties: the block with
 * the best single sentence). The cautions of the block just before it join when that block has no steps:
 * the section's warnings ("everything is erased, back up first") stated ahead of the procedure.
 * Undefined when no block tells the reader what to do.
 */
function procedure(candidates: Candidate[], weights: Weights): Candidate[] | undefined {
  const blocks = new Map<number, Candidate[]>();
  for (const c of candidates) blocks.set(c.block, [...(blocks.get(c.block) ?? []), c]);
  const stepsIn = (block: number) => {
    const members = blocks.get(block) ?? [];
    return hasSteps(members.map((c) => c.text)) ? members : undefined;
  };
  let winner: { block: number; coverage: number; best: number } | undefined;
  for (const [block, members] of blocks) {
    const section = members[0]!.section;
    const next = blocks.get(block + 1);
    const target = stepsIn(block)
      ? block
      : next?.[0]?.section === section && stepsIn(block + 1)
        ? block + 1
        : undefined;
    if (target === undefined) continue;
    const covered = new Set<string>();
    for (const c of [...members, ...(target !== block ? (blocks.get(target) ?? []) : [])])
      for (const t of weights.keys()) if (c.terms.has(t) || c.headingTerms.has(t)) covered.add(t);
    const coverage = [...covered].reduce((n, t) => n + (weights.get(t) ?? 0), 0);
    const best = Math.max(...members.map((c) => c.score));
    if (coverage === 0) continue;
    if (
      !winner ||
      coverage > winner.coverage + 1e-9 ||
      (Math.abs(coverage - winner.coverage) < 1e-9 && best > winner.best)
    )
      winner = { block: target, coverage, best };
  }
  if (!winner) return undefined;
  const chosen = blocks.get(winner.block)!;
  const before = blocks.get(winner.block - 1) ?? [];
  // A caution paragraph comes whole: its label sentence and the sentences that go on from it.
  const cautionParagraphs = new Set(before.filter((c) => isCaution(c.text)).map((c) => c.paragraph));
  const lead =
    before[0]?.section === chosen[0]!.section && !stepsIn(winner.block - 1)
      ? before.filter((c) => cautionParagraphs.has(c.paragraph))
      : [];
  return [...lead, ...chosen].sort(inManualOrder);
}

export function createExtractiveModel(options: ExtractiveOptions = {}): AnswerModel {
  const { maxSentences = 3, relativeCutoff = 0.5, wordsPerPiece = 4 } = options;
  return {
    name: EXTRACTIVE,
    stream(question, chunks, signal): AnswerStream {
      let citations: Citation[] = [];
      async function* pieces(): AsyncGenerator<string> {
        throwIfAborted(signal);
        const candidates = candidatesOf(chunks);
        const { best, weights } = score(question, candidates, chunks.length);
        const steps = asksHowTo(question) ? procedure(candidates, weights) : undefined;
        const chosen = steps ?? select(candidates, best, maxSentences, relativeCutoff);
        if (chosen.length === 0) {
          yield NOT_FOUND_ANSWER;
          return;
        }
        citations = citationsFrom(chosen);
        // A procedure reads one sentence per line (steps stay apart); other answers as prose.
        const sameBlock = steps ? '\n' : ' ';
        let previous: Candidate | undefined;
        for (const sentence of chosen) {
          const separator =
            previous === undefined
              ? ''
              : steps && previous.paragraph === sentence.paragraph
                ? ' '
                : previous.page === sentence.page || steps
                  ? sameBlock
                  : '\n\n';
          previous = sentence;
          const words = sentence.text.split(' ');
          for (let i = 0; i < words.length; i += wordsPerPiece) {
            throwIfAborted(signal);
            yield `${i === 0 ? separator : ' '}${words.slice(i, i + wordsPerPiece).join(' ')}`;
          }
        }
      }
      return { [Symbol.asyncIterator]: pieces, citations: () => citations };
    },
  };
}
