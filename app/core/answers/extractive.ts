/**
 * The default answer model, with no network: it picks the sentences of the retrieved chunks that best
 * match the question (question terms weighted by rarity among the candidates, a bonus when the
 * chunk's heading matches, a small one for the chunk's retrieval rank), keeps a step list with the
 * sentence that introduces it, and reads them out in manual order. So the app is useful with no LLM.
 * A how-to question gets the whole procedure instead: the block (./procedure.ts) holding the best
 * match, every step and caution in it, and the cautions the section states before it.
 */
import { cautionLabel, splitSentences, STEP_MARKER } from '../manuals/chunk.js';
import { MANUAL_THESAURUS, thesaurusGroupsIn } from '../manuals/thesaurus.js';
import { asksHowTo, blocksOf, hasSteps, isCaution } from './procedure.js';
import {
  citationsFrom,
  throwIfAborted,
  type AnswerModel,
  type AnswerModelMeta,
  type AnswerSource,
  type AnswerStream,
} from './model.js';
import { structureOf } from './structure.js';
import { terms } from './terms.js';
import type { AnswerConfidence, Citation } from '../../shared/protocol.js';

export const EXTRACTIVE = 'extractive';

export const NOT_FOUND_ANSWER =
  "I couldn't find this in the manual. Try asking with the words the manual might use, or check the product's support page.";
/** The preface of an answer whose best passage covers only part of what was asked. */
export const CLOSEST_PREFACE = 'The closest I found in the manual is:';
export const NOT_IN_MANUAL_ANSWER =
  "This isn't in the manual: nothing in it covers what you asked. Try other words, or contact support.";

/**
 * Shares of the question's weighted terms the answer must cover: at least CONFIDENT for a confident
 * answer, at least CLOSEST for "the closest I found"; below it, "this isn't in the manual". Measured on
 * the development part of the unseen-layouts set (bench/answers/unseen/), not on the held-out part.
 */
const CONFIDENT = 0.5;
const CLOSEST = 0.3;
/** A question word weighing at least this share, found only outside the answer, makes it not confident. */
const LEFT_OUT = 0.25;

/** "How long does it take?": the answer must state a duration. */
const ASKS_DURATION = /\bhow\s+(?:long|much\s+time|many\s+(?:seconds|minutes|hours))\b/i;
const DURATION =
  /\b(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|sixty|a few|several|a|an|half an?)\s*(?:-\s*)?(?:seconds?|minutes?|hours?|days?|sec|min|hrs?|s|h)\b/i;

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
  /**
   * The paragraph is a numbered step or a labelled caution: its sentences are one item, read out and
   * kept together. A prose paragraph is not: it may hold an intro, a procedure and the next topic.
   */
  item: boolean;
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
  let item = false;
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
      if (opens && !goesOn) {
        paragraph += 1;
        item = STEP_MARKER.test(text) || cautionLabel(text) !== undefined;
      }
      out.push({
        chunk: position,
        section,
        block: 0,
        page: chunk.page,
        ord: chunk.ord,
        index,
        paragraph,
        item,
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
      continues: i > 0 && c.item && out[i - 1]!.paragraph === c.paragraph,
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
  const duration = ASKS_DURATION.test(question);
  // "How long does it take": the answer is a duration (scored below), not the words "long" and "take".
  const asked = new Set(terms(duration ? question.replace(ASKS_DURATION, ' ').replace(/\btakes?\b/gi, ' ') : question));
  withSynonyms(question, asked, candidates);
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
    // A duration question is answered by the sentence that states one.
    if (s > 0 && duration && DURATION.test(c.text)) s += [...weights.values()].reduce((n, w) => n + w, 0);
    c.score = s;
    best = Math.max(best, s);
  }
  return { best, weights };
}

/**
 * The manual's words for what the question asked in other words (the domain thesaurus the retrieval
 * uses: "update the firmware" is answered by "Software updates are installed …"): a candidate that
 * names a thesaurus group the question names counts as holding the question's terms from that group.
 */
function withSynonyms(question: string, asked: ReadonlySet<string>, candidates: Candidate[]): void {
  for (const group of thesaurusGroupsIn(question)) {
    const own = new Set(MANUAL_THESAURUS[group]!.flatMap((phrase) => terms(phrase)));
    const meant = [...asked].filter((t) => own.has(t));
    if (meant.length === 0) continue;
    for (const c of candidates) if (thesaurusGroupsIn(c.text).includes(group)) for (const t of meant) c.terms.add(t);
  }
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
 * How much of the question a block is about: each question term by its weight, in full when the
 * block's heading names it or two of its sentences use it, by half when one sentence mentions it in
 * passing (the Wi-Fi name in a factory-reset warning does not make the reset about Wi-Fi).
 */
function blockCoverage(members: readonly Candidate[], weights: Weights): number {
  let total = 0;
  for (const [t, w] of weights) {
    const named = members.some((c) => c.headingTerms.has(t));
    const uses = members.filter((c) => c.terms.has(t)).length;
    total += w * Math.min(1, (named ? 1 : 0) + uses / 2);
  }
  return total;
}

/**
 * The procedure that answers a how-to question. Candidates are the blocks that tell the reader what to
 * do (a block that only describes stands for the next block of its section, when that one has steps);
 * the one whose text and heading together cover the most of the question (blockCoverage) wins (ties: the block with
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
    const coverage = blockCoverage([...members, ...(target !== block ? (blocks.get(target) ?? []) : [])], weights);
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
  // A labelled caution comes whole (its label sentence and the sentences that go on from it); from a
  // prose paragraph, only the sentences that warn.
  const cautionItems = new Set(before.filter((c) => c.item && isCaution(c.text)).map((c) => c.paragraph));
  const lead =
    before[0]?.section === chosen[0]!.section && !stepsIn(winner.block - 1)
      ? before.filter((c) => cautionItems.has(c.paragraph) || isCaution(c.text))
      : [];
  return [...lead, ...chosen].sort(inManualOrder);
}

/** The weighted share of the question's terms that the chosen sentences (and their headings) cover. */
/** Words of a request rather than of its subject ("how do I use …", "the right way to …"). */
const REQUEST_WORDS = new Set(terms('use make need want way work right proper correct step procedure instruction'));

function coverageShare(chosen: readonly Candidate[], weights: Weights, headings = true): number {
  let total = 0;
  let covered = 0;
  for (const [t, w] of weights) {
    if (REQUEST_WORDS.has(t)) continue;
    total += w;
    if (chosen.some((c) => c.terms.has(t) || (headings && c.headingTerms.has(t)))) covered += w;
  }
  return total === 0 ? 0 : covered / total;
}

/**
 * Confident only when the answer covers most of the question and every word of it occurs somewhere
 * in the passages read… a word the manual's passages never use ("midi" in an interface manual without
 * MIDI) is what the customer asked about, and the best passage does not contain it…
 */
function confidenceOf(
  question: string,
  chosen: readonly Candidate[],
  candidates: readonly Candidate[],
  weights: Weights,
): AnswerConfidence {
  // Covered by one section of the manual: words gathered from unrelated passages ("copy" from the
  // firmware section, "pattern" from the pattern section) do not make an answer about copying a pattern.
  const bySection = [...new Set(chosen.map((c) => c.section))].map((s) => chosen.filter((c) => c.section === s));
  const share = Math.max(...bySection.map((part) => coverageShare(part, weights)));
  // And no word that weighs in the question is left to other sections: "copy" is in the firmware
  // section, so the pattern section is not an answer to "copy a pattern"; "battery" is in the charging
  // section, so the brush procedure is not an answer to "replace the battery".
  const total = [...weights].reduce((n, [t, w]) => n + (REQUEST_WORDS.has(t) ? 0 : w), 0);
  const elsewhere = (part: readonly Candidate[]) =>
    [...weights].some(
      ([t, w]) =>
        !REQUEST_WORDS.has(t) &&
        w >= total * LEFT_OUT &&
        !part.some((c) => c.terms.has(t) || c.headingTerms.has(t)) &&
        candidates.some((c) => c.terms.has(t) && c.section !== part[0]!.section),
    );
  const most = bySection.some((part) => coverageShare(part, weights) === share && !elsewhere(part));
  const answersDuration = !ASKS_DURATION.test(question) || chosen.some((c) => DURATION.test(c.text));
  const unseen = [...weights.keys()].some(
    (t) => !REQUEST_WORDS.has(t) && !candidates.some((c) => c.terms.has(t) || c.headingTerms.has(t)),
  );
  // …unless the section's own heading names the request in two or more of its words ("record with a
  // condenser mic" under "Recording with a condenser microphone"): an unmatched word is then a detail.
  const named = [...weights.keys()].filter((t) => !REQUEST_WORDS.has(t) && chosen.some((c) => c.headingTerms.has(t)));
  if (share >= CONFIDENT && most && answersDuration && (!unseen || named.length >= 2)) return 'confident';
  return share >= CLOSEST ? 'closest' : 'not_in_manual';
}

/**
 * The chosen sentences as the parts of a structure: a numbered step or a labelled caution whole (all
 * its sentences), any other sentence on its own (a procedure written as prose), in manual order.
 */
function partsOf(chosen: readonly Candidate[]): { text: string; page: number }[] {
  const out: { text: string; page: number; paragraph: number }[] = [];
  for (const c of chosen) {
    const last = out.at(-1);
    const item = last && (STEP_MARKER.test(last.text) || cautionLabel(last.text) !== undefined);
    if (last && item && last.paragraph === c.paragraph) last.text = `${last.text} ${c.text}`;
    else out.push({ text: c.text, page: c.page, paragraph: c.paragraph });
  }
  return out;
}

export function createExtractiveModel(options: ExtractiveOptions = {}): AnswerModel {
  const { maxSentences = 3, relativeCutoff = 0.5, wordsPerPiece = 4 } = options;
  return {
    name: EXTRACTIVE,
    stream(question, chunks, signal): AnswerStream {
      let citations: Citation[] = [];
      let meta: AnswerModelMeta = { confidence: 'not_in_manual' };
      async function* pieces(): AsyncGenerator<string> {
        throwIfAborted(signal);
        const candidates = candidatesOf(chunks);
        const { best, weights } = score(question, candidates, chunks.length);
        const sentences = select(candidates, best, maxSentences, relativeCutoff);
        const found = asksHowTo(question) ? procedure(candidates, weights) : undefined;
        // A how-to question the manual answers in a sentence rather than a procedure ("phantom power is
        // switched on the Preamp screen") gets that sentence, not a procedure about something else: a
        // procedure that does not cover the question confidently yields to sentences that cover more.
        // A procedure whose own text barely touches the question yields to sentences beside it, under
        // the same heading, that answer it: a heading shared by several topics ("Resetting and updating")
        // does not make the reset procedure an answer to "how do I update".
        const covers = found ? coverageShare(found, weights) : 0;
        const beside = found ? sentences.filter((c) => c.section === found[0]!.section && !found.includes(c)) : [];
        const saysMore =
          found && coverageShare(found, weights, false) < CLOSEST && coverageShare(beside, weights, false) >= CONFIDENT;
        const steps =
          found && !saysMore && (covers >= CONFIDENT || covers >= coverageShare(sentences, weights))
            ? found
            : undefined;
        const chosen = steps ?? sentences;
        const confidence = chosen.length === 0 ? 'not_in_manual' : confidenceOf(question, chosen, candidates, weights);
        if (confidence === 'not_in_manual') {
          yield chosen.length === 0 ? NOT_FOUND_ANSWER : NOT_IN_MANUAL_ANSWER;
          return;
        }
        citations = citationsFrom(chosen);
        meta = { confidence, ...(steps ? { structure: structureOf(partsOf(steps)) } : {}) };
        if (confidence === 'closest') yield `${CLOSEST_PREFACE}\n`;
        // A procedure reads one paragraph (a step, a caution) per line; other answers as prose.
        const sameBlock = steps ? '\n' : ' ';
        let previous: Candidate | undefined;
        for (const sentence of chosen) {
          const separator =
            previous === undefined
              ? ''
              : steps && sentence.item && previous.paragraph === sentence.paragraph
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
      return { [Symbol.asyncIterator]: pieces, citations: () => citations, meta: () => meta };
    },
  };
}
