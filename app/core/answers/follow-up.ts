/**
 * Follow-up questions read against the thread's previous turn before retrieval. A question that refers
 * back ("and how long does that take?", "what about the other one?", "how do I take it out?") names
 * too little to retrieve by; it is rewritten with what the previous question was about:
 *  - "what about X?" / "and X?" / "how about X?": the previous question's request, about X
 *    ("How do I replace the nozzle?" + "what about the filament?" → "How do I … the filament?");
 *  - a question with "it", "that", "this", "them" and few words of its own: the pronoun becomes the
 *    previous question's subject ("how long does that take?" → "how long does replacing the nozzle take?"
 *    in effect: the previous question's words are added).
 * A question that names its own subject is left alone.
 */
import { terms } from './terms.js';

export interface PreviousTurn {
  id?: string | undefined;
  question: string;
}

export interface ResolvedQuestion {
  /** What to retrieve and answer by. */
  question: string;
  /** The earlier turn it was read against, when it was a follow-up. */
  context?: { id: string; question: string };
}

const ABOUT = /^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)[\s?.!]*$/i;
const AND_ALSO = /^\s*and\s+(?:the\s+|for\s+the\s+)?(.+?)[\s?.!]*$/i;
const QUESTION_WORD = /^(?:how|what|where|when|why|which|who|can|could|do|does|did|is|are|will|should)\b/i;
/** Words that stand for the previous question's thing ("it") or for what it asked to do ("that"). */
const THING = /\b(?:it|them|the other one|the other)\b/i;
const ACTION = /\b(?:that|this|those|these)\b/i;
/** "How long does it take?": "it" is what the previous question asked to do, not its object. */
const ASKS_ABOUT_ACTION = /\bhow\s+(?:long|much\s+time|often|many\s+times)\b|\bis\s+it\s+safe\b/i;
/**
 * "how do I …" and the like: the request a "what about X?" repeats about X, without its verb ("clean
 * the filters" then "what about the salt?": the salt is refilled, not cleaned; the manual says how).
 */
const REQUEST = /^\s*((?:how\s+(?:do|can|should|would|could)\s+(?:i|you|we)|how\s+to)\s+)/i;
/** A how-to question's action ("descale the machine") and its object ("the machine"). */
const HOW_TO = /^\s*how\s+(?:do|can|should|would|could)\s+(?:i|you|we)\s+((\w+)\s+(.+?))[\s?.!]*$/i;

/** A question with at most this many words of its own, and a word that refers back, leans on the one before. */
const OWN_TERMS = 3;

export function resolveFollowUp(question: string, previous: PreviousTurn | undefined): ResolvedQuestion {
  if (!previous) return { question };
  const context = { id: previous.id ?? '', question: previous.question };
  const about = ABOUT.exec(question)?.[1];
  const also = about === undefined ? AND_ALSO.exec(question)?.[1] : undefined;
  const topic = about ?? (also !== undefined && !QUESTION_WORD.test(also) ? also : undefined);
  if (topic !== undefined && terms(topic).length > 0 && !THING.test(topic) && !ACTION.test(topic)) {
    const request = REQUEST.exec(previous.question)?.[1];
    return { question: request ? `${request}${topic}?` : `${topic} (${previous.question})`, context };
  }
  // A question that already holds every word of the previous one has nothing to borrow from it: asked
  // again ("How do I reset it to factory settings" twice, "it" being the product), it stays as it is.
  const own = new Set(terms(question));
  if (terms(previous.question).every((term) => own.has(term))) return { question };
  const refersToThing = THING.test(question);
  if ((refersToThing || ACTION.test(question)) && terms(question).length <= OWN_TERMS) {
    const howTo = HOW_TO.exec(previous.question);
    if (howTo) {
      // "how do I take it out?" → "… take the battery out?"; "how long does that take?" → "… does
      // charge the battery take?" (the words retrieval needs, not a sentence to show).
      const [, action, , object] = howTo as unknown as [string, string, string, string];
      const aboutTheAction = !refersToThing || ASKS_ABOUT_ACTION.test(question);
      const replaced = aboutTheAction
        ? question.replace(refersToThing ? THING : ACTION, action)
        : question.replace(THING, object);
      return { question: replaced, context };
    }
    return {
      question: `${question.replace(/[\s?.!]+$/, '')} (${previous.question.replace(/[\s?.!]+$/, '')})`,
      context,
    };
  }
  return { question };
}
