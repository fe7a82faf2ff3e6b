/**
 * The "unseen layouts" answer evaluation: manuals written for it, rendered by more than one generator
 * and layout (./render.ts), with the procedures a customer asks about. A case's expectations are the
 * manual's own text: the intro sentence and steps (without their numbering, which differs per layout)
 * and the CAUTION/WARNING/NOTE/IMPORTANT paragraphs attached to the procedure (without their label).
 * The pages an answer must cite are not written here: they are read from the rendered PDF, since the
 * layout decides where a procedure breaks.
 */

export type CautionKind = 'CAUTION' | 'WARNING' | 'NOTE' | 'IMPORTANT';

/** How a layout numbers steps: "1.", "Step 1", "(1)", "a)", or an HTML <ol> list. */
export type Numbering = 'dot' | 'step' | 'paren' | 'alpha';

export type Layout = 'pdfkit-single' | 'pdfkit-columns' | 'chromium-single' | 'chromium-columns';

export interface Procedure {
  heading: string;
  /** The sentence that opens the procedure (often itself an instruction: "Copy the update file to …"). */
  intro: string;
  steps: string[];
  /** `at`: the number of steps before it (0 = before the first step, steps.length = after the last). */
  cautions: { kind: CautionKind; text: string; at: number }[];
  /** A sentence after the procedure that states a fact about it ("The update takes about four minutes."). */
  after?: string;
  /** How customers ask for it. */
  questions: string[];
}

/** A section that describes rather than instructs (specifications, overviews): distractor text. */
export interface Prose {
  heading: string;
  paragraphs: string[];
}

export interface ManualSpec {
  id: string;
  title: string;
  layout: Layout;
  numbering: Numbering;
  sections: (Procedure | Prose)[];
}

/** A question that refers back to the one before it in the same thread. */
export interface FollowUpCase {
  manual: string;
  first: string;
  followUp: string;
  /** Text the follow-up's answer must contain (from the manual). */
  expect: string;
}

/** A question about the product whose answer is not in its manual. */
export interface AbsentCase {
  manual: string;
  question: string;
}

/**
 * A question with several parts. Per part, text its answer must contain (from the manual), or null when
 * that part is not in the manual (its answer must then say so rather than answer confidently).
 */
export interface MultiPartCase {
  manual: string;
  question: string;
  parts: (string | null)[];
}

export interface EvaluationPart {
  manuals: ManualSpec[];
  followUps: FollowUpCase[];
  absent: AbsentCase[];
  /** Added after the held-out part was committed, so only the development part has them. */
  multiPart?: MultiPartCase[];
}

export const isProcedure = (section: Procedure | Prose): section is Procedure => 'steps' in section;
