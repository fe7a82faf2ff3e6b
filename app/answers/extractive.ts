/**
 * The default answer model, with no network: it picks the sentences of the retrieved chunks that best
 * match the question (question terms weighted by rarity among the candidates, a bonus when the
 * chunk's heading matches, a small one for the chunk's retrieval rank), keeps a step list with the
 * sentence that introduces it, and reads them out in manual order. So the app is useful with no LLM.
 */
import { splitSentences } from '../manuals/chunk.js';
import { citationsFrom, throwIfAborted, type AnswerModel, type AnswerSource, type AnswerStream } from './model.js';
import { terms } from './terms.js';
import type { Citation } from '../protocol.js';

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
  page: number;
  ord: number;
  index: number;
  text: string;
  terms: Set<string>;
  headingTerms: Set<string>;
  score: number;
}

function candidatesOf(chunks: readonly AnswerSource[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  chunks.forEach((chunk, position) => {
    const headingTerms = new Set(terms(chunk.heading ?? ''));
    splitSentences(chunk.text).forEach((text, index) => {
      // Chunks overlap by a sentence: count each sentence once.
      const key = `${chunk.page}:${text}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({
        chunk: position,
        page: chunk.page,
        ord: chunk.ord,
        index,
        text,
        terms: new Set(terms(text)),
        headingTerms,
        score: 0,
      });
    });
  });
  return out;
}

/** Scores every candidate sentence in place; returns the best score. */
function score(question: string, candidates: Candidate[], chunkCount: number): number {
  const asked = new Set(terms(question));
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) if (asked.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + candidates.length / (df.get(t) ?? 1));
  let best = 0;
  for (const c of candidates) {
    let s = 0;
    for (const t of asked) {
      if (c.terms.has(t)) s += idf(t);
      if (c.headingTerms.has(t)) s += 0.3 * idf(t);
    }
    if (s > 0) s += (0.15 * (chunkCount - c.chunk)) / chunkCount;
    c.score = s;
    best = Math.max(best, s);
  }
  return best;
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
  return picked.sort((a, b) => a.page - b.page || a.ord - b.ord || a.index - b.index);
}

export function createExtractiveModel(options: ExtractiveOptions = {}): AnswerModel {
  const { maxSentences = 3, relativeCutoff = 0.5, wordsPerPiece = 4 } = options;
  return {
    name: 'extractive',
    stream(question, chunks, signal): AnswerStream {
      let citations: Citation[] = [];
      async function* pieces(): AsyncGenerator<string> {
        throwIfAborted(signal);
        const candidates = candidatesOf(chunks);
        const chosen = select(candidates, score(question, candidates, chunks.length), maxSentences, relativeCutoff);
        if (chosen.length === 0) {
          yield NOT_FOUND_ANSWER;
          return;
        }
        citations = citationsFrom(chosen);
        let previousPage: number | undefined;
        for (const sentence of chosen) {
          const separator = previousPage === undefined ? '' : previousPage === sentence.page ? ' ' : '\n\n';
          previousPage = sentence.page;
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
