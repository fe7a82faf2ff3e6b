/**
 * One question, answered from one manual: the follow-up read against the thread's previous turn,
 * retrieval with context, then the model. The answer service (with its cache, waiting and history)
 * and the answer evaluation both go through here, so the evaluation measures what customers get.
 * The text is sanitized here too (./safe-markdown.ts), whichever model wrote it.
 */
import type { AnswerConfidence, AnswerStructure, Citation } from '../protocol.js';
import type { ManualIndexStore } from '../manuals/index-store.js';
import { retrieveWithContext, withoutProductName } from './context.js';
import { EXTRACTIVE } from './extractive.js';
import { resolveFollowUp, type PreviousTurn } from './follow-up.js';
import type { AnswerModel } from './model.js';
import { SafeMarkdownStream } from './safe-markdown.js';

export interface AnsweredQuestion {
  /** The question as asked, and its id when it is a turn of a thread. */
  question: string;
  id?: string;
  text: string;
  citations: Citation[];
  confidence: AnswerConfidence;
  structure?: AnswerStructure;
  /** The earlier turn this follow-up was read against. */
  context?: { id: string; question: string };
}

export interface AnswerQuestionInput {
  store: Pick<ManualIndexStore, 'search' | 'around'>;
  model: AnswerModel;
  manualId: string;
  question: string;
  previous?: PreviousTurn | undefined;
  product?: { brand: string; name: string } | undefined;
  signal?: AbortSignal;
  onPiece?: (text: string) => void;
  chunks?: number;
}

export async function answerQuestion(input: AnswerQuestionInput): Promise<AnsweredQuestion> {
  const resolved = resolveFollowUp(input.question, input.previous);
  const focus = withoutProductName(resolved.question, input.product);
  const chunks = await retrieveWithContext(input.store, input.manualId, focus, input.chunks ?? 4);
  const stream = input.model.stream(
    input.model.name === EXTRACTIVE ? focus : resolved.question,
    chunks,
    input.signal ?? new AbortController().signal,
  );
  // What is streamed and kept is the sanitized text: no image or outside link from the manual survives.
  const safe = new SafeMarkdownStream();
  let text = '';
  const emit = (piece: string) => {
    if (!piece) return;
    text += piece;
    input.onPiece?.(piece);
  };
  for await (const piece of stream) emit(safe.push(piece));
  emit(safe.end());
  // A language model's answer carries no measure of its own: it is shown as it is.
  const meta = stream.meta?.() ?? { confidence: 'confident' as const };
  return {
    question: input.question,
    text,
    citations: stream.citations(),
    ...meta,
    ...(resolved.context ? { context: resolved.context } : {}),
  };
}
