/**
 * Procedure structure in manual text, for the extractive answer model. A manual section (a heading and
 * the text under it, including text that continues past a page break) is cut into blocks: a block starts
 * at a purpose clause ("To reset the unit: …", "For a complete restore, …") or at a sentence that opens a
 * new topic ("A factory reset erases …", "Software updates are installed …"). Steps (imperatives,
 * numbered items), cautions and notes, and sentences that refer back ("This erases …", "The reset takes
 * …", "Your projects are kept.") stay in the block they follow. So a procedure is read out whole, with
 * the warnings the manual attaches to it, and no more.
 */

/** Words a manual step starts with (imperative verbs). */
export const IMPERATIVES = new Set(
  (
    'press hold turn switch set select choose tap open close connect disconnect plug unplug insert remove ' +
    'release keep wait copy move drag click enter save store load recall go use make check start stop ' +
    'power reset restore update install uninstall format back attach detach adjust raise lower push pull ' +
    'slide lift place put replace clean wipe charge pair enable disable mute unmute assign route patch ' +
    'store write erase delete clear confirm repeat follow find navigate scroll touch strike play record ' +
    'apply run restart reboot tighten loosen screw unscrew fit mount ensure verify do never avoid note ' +
    'chain link copy paste duplicate rename edit change create add cancel tune transpose share export import ' +
    'print scan fill refill empty descale sync calibrate register download upload' +
    ' then finally next afterwards first'
  ).split(' '),
);

/** Opening words that refer back to what came before: the sentence belongs to the open block. */
const REFERS_BACK = new Set(
  (
    'this that these those it its they their your you all everything any nothing each every both ' +
    'after afterwards once when until while otherwise if meanwhile again also here there'
  ).split(' '),
);

const LABEL = /^(?:note|notes|caution|warning|important|notice|danger|attention|tip|remember)\b\s*[:!.-]/i;
const CAUTION =
  /\b(?:caution|warning|danger|do not|don't|never|must not|avoid|make sure|be sure|ensure|erase[sd]?|erasing|lost|delete[sd]?|clear(?:s|ed)|cannot be undone|irreversibl\w*|back up|backup|damage\w*|injur\w*|shock|overwrit\w*)\b/i;
const PURPOSE = /^(?:to|for|if you want to|in order to|when you want to)\s[^,:;]{2,100}[,:]/i;
/** "Firmware is updated from a USB drive: copy …", "Feedback in the monitors: lower …": a topic, then steps. */
const LEADS_STEPS = /^[^:]{2,100}:\s+(.*)$/s;
/** A step's numbering ("1.", "(2)", "c)", "Step 4", a bullet) and the space after it. */
const STEP_MARKER = new RegExp(`${STEP_NUMBER.source}\\s*`, 'i');

import { terms } from './terms.js';
import { STEP_MARKER as STEP_NUMBER } from '../manuals/chunk.js';

/** "The …" refers back only when it names something the block is about; otherwise it opens a topic. */
export type SentenceRole = 'purpose' | 'step' | 'caution' | 'refers-back' | 'definite' | 'opener';

export function firstWord(text: string): string {
  return (
    text
      .replace(STEP_MARKER, '')
      .match(/^[\p{L}']+/u)?.[0]
      ?.toLowerCase() ?? ''
  );
}

/** What a sentence does in a procedure, judged from its shape alone. */
export function roleOf(text: string): SentenceRole {
  if (PURPOSE.test(text)) return 'purpose';
  if (LABEL.test(text)) return 'caution';
  if (STEP_MARKER.test(text) && text.replace(STEP_MARKER, '').length > 0) return 'step';
  const steps = LEADS_STEPS.exec(text)?.[1];
  if (steps !== undefined && IMPERATIVES.has(firstWord(steps))) return 'purpose';
  const word = firstWord(text);
  if (IMPERATIVES.has(word)) return 'step';
  if (REFERS_BACK.has(word)) return CAUTION.test(text) ? 'caution' : 'refers-back';
  if (word === 'the') return CAUTION.test(text) ? 'caution' : 'definite';
  return 'opener';
}

export function isCaution(text: string): boolean {
  return LABEL.test(text) || CAUTION.test(text);
}

/** A question that asks how to do something (rather than what something is). */
export function asksHowTo(question: string): boolean {
  const q = question.trim().toLowerCase();
  return (
    /\bhow (?:do|can|should|would|could|to|does one)\b/.test(q) ||
    /\b(?:steps?|procedure|instructions?|walk me through|what do i (?:need to )?do|way to)\b/.test(q) ||
    IMPERATIVES.has(firstWord(q))
  );
}

export interface Located {
  text: string;
  /** Index of the section (heading run) the sentence is in. */
  section: number;
  heading?: string | undefined;
  /** Not the first sentence of its paragraph: it goes on the step or caution it belongs to. */
  continues?: boolean;
}

/**
 * Cuts each section's sentences (in manual order) into blocks; returns block index per sentence.
 * A purpose clause or a topic opener starts a block; everything else joins the block before it.
 */
export function blocksOf(sentences: readonly Located[]): number[] {
  const out: number[] = [];
  let block = -1;
  let section = -1;
  let topic = new Set<string>();
  for (const sentence of sentences) {
    const role = roleOf(sentence.text);
    const newSection = sentence.section !== section;
    section = sentence.section;
    if (sentence.continues && !newSection && block >= 0) {
      out.push(block);
      continue;
    }
    const unrelated = role === 'definite' && !terms(sentence.text).some((t) => topic.has(t));
    if (newSection || role === 'purpose' || role === 'opener' || unrelated) {
      block += 1;
      topic = new Set(terms(`${sentence.heading ?? ''} ${sentence.text}`));
    }
    out.push(block);
  }
  return out;
}

/** A block that tells the reader to do something. */
export function hasSteps(texts: readonly string[]): boolean {
  return texts.some((t) => {
    const role = roleOf(t);
    return role === 'step' || role === 'purpose';
  });
}
