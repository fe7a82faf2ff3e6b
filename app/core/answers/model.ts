/**
 * One interface for answer models. A model streams text for a question from retrieved manual chunks,
 * and reports citations itself, from the chunks it actually used: the extractive model knows which
 * sentences it quoted; a language model's are the given pages its text cites. Either way a citation is
 * always one of the retrieved chunks, so a model cannot cite a page it was not given.
 */
import type { AnswerConfidence, AnswerStructure, Citation } from '../../shared/protocol.js';
import type { RetrievedChunk } from '../manuals/index-store.js';
import { splitSentences } from '../manuals/chunk.js';

export type AnswerSource = Pick<RetrievedChunk, 'page' | 'ord' | 'text' | 'heading'>;

export interface AnswerStream extends AsyncIterable<string> {
  /** The citations of the chunks the answer used; complete once the iteration has ended. */
  citations(): Citation[];
  /** How sure the answer is and its structure, when the model knows (the extractive one does). */
  meta?(): AnswerModelMeta;
}

export interface AnswerModelMeta {
  confidence: AnswerConfidence;
  structure?: AnswerStructure;
}

export interface AnswerModel {
  readonly name: string;
  stream(question: string, chunks: readonly AnswerSource[], signal: AbortSignal): AnswerStream;
}

export type AnswerModelErrorCode = 'timeout' | 'upstream_status' | 'broken_stream' | 'bad_response' | 'cancelled';

/** The answer could not be completed; the gateway turns it into an `error` frame. */
export class AnswerModelError extends Error {
  constructor(
    readonly code: AnswerModelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnswerModelError';
  }
}

export const SNIPPET_CHARS = 160;

function snippetOf(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= SNIPPET_CHARS ? clean : `${clean.slice(0, clean.lastIndexOf(' ', SNIPPET_CHARS - 1))}…`;
}

/** One citation per page, in the order the pages were first used; the snippet is the manual's own text. */
export function citationsFrom(used: readonly { page: number; text: string }[]): Citation[] {
  const byPage = new Map<number, Citation>();
  for (const { page, text } of used) {
    if (!byPage.has(page)) byPage.set(page, { page, snippet: snippetOf(text) });
  }
  return [...byPage.values()];
}

/** A page reference as a model writes it: "[p. 5]", "(page 5)", "pages 5 and 6", "pp. 5–7", "p.5, 6". */
const PAGE_REFERENCE = /\b(?:pages?|pp?\.)\s*(\d{1,5}(?:\s*(?:[-–,&]|and)\s*\d{1,5})*)/gi;
/** A range longer than this ("pages 1-400") is not a citation of each page in it. */
const MAX_RANGE = 10;

/** The pages a model's answer cites, in the order it first cites them. */
export function citedPages(text: string): number[] {
  const pages = new Set<number>();
  for (const [, list] of text.matchAll(PAGE_REFERENCE)) {
    for (const part of list!.split(/\s*(?:,|&|and)\s*/)) {
      const [from, to] = part.split(/\s*[-–]\s*/).map(Number);
      if (from === undefined || !Number.isInteger(from)) continue;
      const last = to !== undefined && to >= from && to - from <= MAX_RANGE ? to : from;
      for (let page = from; page <= last; page += 1) pages.add(page);
    }
  }
  return [...pages];
}

/**
 * The sources of a model's answer: the retrieved pages its text cites, in citing order, each quoted
 * from its best-ranked chunk. A cited page the model was not given is dropped (it cannot have read
 * it). An answer that cites none of its pages gets the best-ranked chunk's page: the passage it most
 * likely used, rather than every page it was shown.
 */
export function citationsOfAnswer(text: string, chunks: readonly AnswerSource[]): Citation[] {
  const given = new Map<number, AnswerSource>();
  for (const chunk of chunks) if (!given.has(chunk.page)) given.set(chunk.page, chunk);
  const used = citedPages(text)
    .map((page) => given.get(page))
    .filter((chunk): chunk is AnswerSource => chunk !== undefined);
  const sources = used.length > 0 ? used : chunks.slice(0, 1);
  return citationsFrom(sources.map((c) => ({ page: c.page, text: leadSentence(c.text) })));
}

/** The first sentence of a chunk: what an LLM answer's citation quotes for it. */
export function leadSentence(text: string): string {
  return splitSentences(text)[0] ?? text;
}

/** Stops an iteration when the caller gave up (closed socket, new question). */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AnswerModelError('cancelled', 'the answer was cancelled', { cause: signal.reason });
}
