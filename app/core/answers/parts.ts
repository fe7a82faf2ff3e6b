/**
 * Questions with several parts ("How do I save a pattern, copy it to another slot and chain two
 * patterns?", "What is the battery life? How do I charge it?") cut into the questions they hold, so
 * each is answered from its own passage with its own citation, or said to be missing from the manual.
 * A question is cut only where what follows is itself a request: another question, or a phrase that
 * starts with a verb a manual instructs with ("copy it", "chain patterns"); a verb alone shares the
 * object after it ("save, copy and chain patterns"). A list of things is one request ("connect
 * headphones and speakers", "set the tempo and swing") and stays whole.
 */
import { IMPERATIVES } from './procedure.js';
import { resolveFollowUp } from './follow-up.js';
import { terms } from './terms.js';

/** The most parts a question is cut into (protocol v5 `answer_done.parts` holds five). */
export const MAX_PARTS = 5;

/** "how do I …", "how can I …", "how to …": the request later parts repeat ("… copy it" → "how do I copy it"). */
const REQUEST =
  /^\s*((?:how\s+(?:do|can|should|would|could)\s+(?:i|you|we)|how\s+to|can\s+i|what\s+do\s+i\s+do\s+to)\s+)/i;
const QUESTION_WORD = /^(?:how|what|where|when|why|which|who|can|could|do|does|did|is|are|will|should)\b/i;
/** Where a list of requests is cut: commas, "and", "then", semicolons (the separators between items). */
const SEPARATOR =
  /\s*(?:;|,\s*and\s+then\s+|,\s*then\s+|\s+and\s+then\s+|,\s*and\s+|,\s*also\s+|\s+and\s+also\s+|,\s+|\s+and\s+)\s*/i;

const firstWord = (text: string) => text.match(/^[\p{L}']+/u)?.[0]?.toLowerCase() ?? '';

/** A piece that asks on its own: a question, or an instruction to explain ("copy it", "chain patterns"). */
function isRequest(piece: string): boolean {
  const word = firstWord(piece);
  if (QUESTION_WORD.test(piece) && piece.split(/\s+/).length >= 3) return true;
  return IMPERATIVES.has(word);
}

/** One sentence of the question cut at its separators, where every piece after the first is a request. */
function cutSentence(sentence: string): string[] {
  const request = REQUEST.exec(sentence)?.[1];
  const body = (request ? sentence.slice(request.length) : sentence).replace(/[\s?.!]+$/, '');
  const pieces = body.split(SEPARATOR).filter((p) => p.trim() !== '');
  if (pieces.length < 2) return [sentence];
  // Pieces that are not requests ("and speakers") stay with the piece before them.
  const joined: string[] = [];
  const separators = [...body.matchAll(new RegExp(SEPARATOR.source, 'gi'))].map((m) => m[0]);
  pieces.forEach((piece, i) => {
    if (i > 0 && isRequest(piece) && (request !== undefined || QUESTION_WORD.test(piece))) joined.push(piece);
    else if (joined.length === 0) joined.push(piece);
    else joined[joined.length - 1] = `${joined.at(-1)}${separators[i - 1] ?? ' '}${piece}`;
  });
  if (joined.length < 2) return [sentence];
  // The first piece must itself be a request for the rest to be its siblings; after "how do I" it is
  // one (a verb phrase) whatever its verb.
  if (request === undefined && !QUESTION_WORD.test(joined[0]!)) return [sentence];
  return withSharedObject(joined).map((piece) =>
    request && !QUESTION_WORD.test(piece) ? `${request}${piece}` : piece,
  );
}

/** "save, copy and chain patterns": a verb alone takes the object of the next piece that has one. */
function withSharedObject(pieces: readonly string[]): string[] {
  return pieces.map((piece, i) => {
    if (piece.trim().split(/\s+/).length > 1 || !IMPERATIVES.has(firstWord(piece))) return piece;
    const next = pieces.slice(i + 1).find((p) => p.trim().split(/\s+/).length > 1 && IMPERATIVES.has(firstWord(p)));
    return next ? `${piece} ${next.trim().split(/\s+/).slice(1).join(' ')}` : piece;
  });
}

const asQuestion = (text: string) => `${text.trim().replace(/[\s?.!,;]+$/, '')}?`;

export interface QuestionPart {
  /** The part as the customer asked it, to show. */
  asked: string;
  /** What to retrieve and answer by: a part that refers back ("copy it") read against the part before. */
  question: string;
}

/** The parts of a question, each a question of its own; one part when it has one. */
export function splitQuestion(question: string): QuestionPart[] {
  const sentences = question
    .split(/(?<=\?)\s+|(?<=[.!])\s+(?=\p{Lu})/u)
    .map((s) => s.trim())
    .filter((s) => terms(s).length > 0);
  const pieces = sentences.flatMap(cutSentence).filter((p) => terms(p).length > 0);
  if (pieces.length < 2) return [{ asked: question, question }];
  // More parts than an answer carries: the last one takes the rest, so nothing asked is dropped.
  const kept =
    pieces.length > MAX_PARTS
      ? [
          ...pieces.slice(0, MAX_PARTS - 1),
          pieces
            .slice(MAX_PARTS - 1)
            .map((p, i) => (i === 0 ? p : p.replace(REQUEST, '')))
            .join(' and '),
        ]
      : pieces;
  const out: QuestionPart[] = [];
  for (const piece of kept) {
    const previous = out.at(-1);
    const asked = asQuestion(piece);
    out.push({ asked, question: previous ? resolveFollowUp(asked, { question: previous.question }).question : asked });
  }
  return out;
}
