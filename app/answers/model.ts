/**
 * One interface for answer models. A model streams text for a question from retrieved manual chunks,
 * and reports citations itself, computed from the chunks it actually used — never parsed from the
 * text it wrote, so a model cannot cite a page it was not given.
 */
import type { Citation } from '../protocol.js';
import type { RetrievedChunk } from '../manuals/index-store.js';
import { splitSentences } from '../manuals/chunk.js';

export type AnswerSource = Pick<RetrievedChunk, 'page' | 'ord' | 'text' | 'heading'>;

export interface AnswerStream extends AsyncIterable<string> {
  /** The citations of the chunks the answer used; complete once the iteration has ended. */
  citations(): Citation[];
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

/** The first sentence of a chunk: what an LLM answer's citation quotes for it. */
export function leadSentence(text: string): string {
  return splitSentences(text)[0] ?? text;
}

/** Stops an iteration when the caller gave up (closed socket, new question). */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AnswerModelError('cancelled', 'the answer was cancelled', { cause: signal.reason });
}
