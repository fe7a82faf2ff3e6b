/**
 * One question, answered from one manual: the follow-up read against the thread's previous turn,
 * retrieval with context, then the model. The answer service (with its cache, waiting and history)
 * and the answer evaluation both go through here, so the evaluation measures what customers get.
 * The text is sanitized here too (./safe-markdown.ts), whichever model wrote it.
 */
import type { AnswerConfidence, AnswerPart, AnswerStructure, Citation } from '../../shared/protocol.js';
import type { ManualIndexStore } from '../manuals/index-store.js';
import { retrieveWithContext, withoutProductName } from './context.js';
import { EXTRACTIVE } from './extractive.js';
import { resolveFollowUp, type PreviousTurn } from './follow-up.js';
import type { AnswerModel } from './model.js';
import { splitQuestion, type QuestionPart } from './parts.js';
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
  /** A question with several parts: each answered (or not) on its own, in the order asked. */
  parts?: AnswerPart[];
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

/** The most citations an answer carries (protocol v5 `answer_done.citations`). */
const MAX_CITATIONS = 20;

/**
 * Answers the question; a question with several parts part by part (./parts.ts): each part's answer
 * under the part as asked, with its own citations and confidence, and the whole as sure as its least
 * sure part ("closest" when some parts are answered and some are not).
 */
export async function answerQuestion(input: AnswerQuestionInput): Promise<AnsweredQuestion> {
  const resolved = resolveFollowUp(input.question, input.previous);
  const parts = splitQuestion(resolved.question);
  const context = resolved.context ? { context: resolved.context } : {};
  if (parts.length === 1)
    return { question: input.question, ...(await answerOne(input, resolved.question)), ...context };

  const answered: (AnswerPart & { text: string })[] = [];
  for (const [i, part] of parts.entries()) {
    const heading = `${i === 0 ? '' : '\n\n'}${part.asked}\n`;
    input.onPiece?.(heading);
    const one = await answerOne(input, part.question);
    answered.push({
      question: part.asked,
      text: `${heading}${one.text}`,
      ...withoutText(one),
      citations: one.citations.slice(0, MAX_CITATIONS),
    });
  }
  const confidences = new Set(answered.map((p) => p.confidence));
  const confidence: AnswerConfidence =
    confidences.size === 1
      ? answered[0]!.confidence
      : confidences.has('confident') || confidences.has('closest')
        ? 'closest'
        : 'not_in_manual';
  const citations: Citation[] = [];
  for (const c of answered.flatMap((p) => p.citations))
    if (!citations.some((d) => d.page === c.page && d.snippet === c.snippet)) citations.push(c);
  return {
    question: input.question,
    text: answered.map((p) => p.text).join(''),
    citations: citations.slice(0, MAX_CITATIONS),
    confidence,
    parts: answered.map(({ text: _text, ...part }) => part),
    ...context,
  };
}

const withoutText = ({ text: _text, ...rest }: OneAnswer): Omit<OneAnswer, 'text'> => rest;

type OneAnswer = Pick<AnsweredQuestion, 'text' | 'citations' | 'confidence' | 'structure'>;

/** One question (or one part of one) through retrieval and the model. */
async function answerOne(input: AnswerQuestionInput, question: QuestionPart['question']): Promise<OneAnswer> {
  const focus = withoutProductName(question, input.product);
  const chunks = await retrieveWithContext(input.store, input.manualId, focus, input.chunks ?? 4);
  const stream = input.model.stream(
    input.model.name === EXTRACTIVE ? focus : question,
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
  return { text, citations: stream.citations(), ...meta };
}
