/**
 * Is the confidence that fetches a manual just in time calibrated? On the labelled set: how often the
 * top prediction is right when its confidence is at or above the threshold, and, typing each query one
 * character at a time, whether the first keystroke that crosses the threshold names the right product
 * and how many keystrokes before the end of the query it comes.
 */
import type { Product } from '../../app/core/catalog/product.js';
import type { PredictionItem } from '../../app/shared/protocol.js';
import { type LabelledQuery, sameAnswer } from './labelled.js';
import { JIT_CONFIRMATIONS, JustInTimeTrigger } from '../../app/core/prediction/jit-trigger.js';

export interface Calibration {
  threshold: number;
  /** Queries whose final text's top prediction is at or above the threshold, and the share right. */
  confident: number;
  confidentShare: number;
  precisionAtThreshold: number;
  /**
   * Typed keystroke by keystroke: queries where the threshold was crossed at some keystroke, and the
   * share whose first crossing named the right product (the others fetched another manual first).
   */
  fired: number;
  firedShare: number;
  precisionOfFirstFire: number;
  /**
   * Keystrokes before the end of the query from which on the right product stays on top at or above the
   * threshold (its manual is being fetched from then): mean and median over the queries where it does.
   */
  settled: number;
  keystrokesEarlyMean: number;
  keystrokesEarlyMedian: number;
  /** Share of all queries whose right product was settled before the last keystroke. */
  settledBeforeFullText: number;
  /**
   * The gateway's just-in-time trigger (app/core/prediction/jit-trigger.ts): the same product leading at or
   * above the threshold for `confirmations` keystrokes, or the customer pausing after the last one.
   * `precisionOfFirstFire`: the first manual it fetches is the right one; `keystrokesEarly*`: how many
   * keystrokes before the end of the query that right first fetch started (0: at the pause).
   */
  trigger: {
    confirmations: number;
    fired: number;
    firedShare: number;
    precisionOfFirstFire: number;
    keystrokesEarlyMean: number;
    keystrokesEarlyMedian: number;
    /** Right first fetches that started before the last keystroke, as a share of all queries. */
    firedEarlyAndRight: number;
  };
}

type Predict = (text: string) => PredictionItem[];

export function calibrate(
  predict: Predict,
  products: readonly Product[],
  queries: readonly LabelledQuery[],
  threshold: number,
): Calibration {
  const byId = new Map(products.map((p) => [p.id, p]));
  let confident = 0;
  let confidentRight = 0;
  let fired = 0;
  let firedRight = 0;
  let settledEarly = 0;
  const early: number[] = [];
  let triggerFired = 0;
  let triggerRight = 0;
  let triggerRightEarly = 0;
  const triggerEarly: number[] = [];
  for (const query of queries) {
    const expected = byId.get(query.expectedId)!;
    const text = query.text.trimEnd();
    const final = predict(text)[0];
    if (final && final.confidence >= threshold) {
      confident++;
      if (sameAnswer(final, expected)) confidentRight++;
    }
    let firstFire: boolean | undefined;
    let settledAt = -1;
    let typed = 0;
    let triggered: { productId: string; at: number } | undefined;
    const trigger = new JustInTimeTrigger(threshold, {
      fire: (productId) => {
        triggered ??= { productId, at: typed };
      },
    });
    let lastItems: PredictionItem[] = [];
    for (typed = 1; typed <= text.length; typed++) {
      lastItems = predict(text.slice(0, typed));
      trigger.keystroke(lastItems);
      const top = lastItems[0];
      const confidentHere = top !== undefined && top.confidence >= threshold;
      const right = confidentHere && sameAnswer(top, expected);
      if (confidentHere && firstFire === undefined) firstFire = right;
      if (!right) settledAt = -1;
      else if (settledAt < 0) settledAt = typed;
    }
    if (firstFire !== undefined) {
      fired++;
      if (firstFire) firedRight++;
    }
    // The customer stops after the whole query: the pause fires a leader that had not fired yet.
    typed = text.length;
    trigger.pause();
    const first = triggered as { productId: string; at: number } | undefined; // set by `fire`, unseen by tsc
    if (first !== undefined) {
      triggerFired++;
      const item = lastItems.find((i) => i.productId === first.productId) ?? byId.get(first.productId);
      if (item && sameAnswer(item, expected)) {
        triggerRight++;
        triggerEarly.push(text.length - first.at);
        if (first.at < text.length) triggerRightEarly++;
      }
    }
    if (settledAt > 0) {
      early.push(text.length - settledAt);
      if (settledAt < text.length) settledEarly++;
    }
  }
  early.sort((a, b) => a - b);
  triggerEarly.sort((a, b) => a - b);
  const share = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole));
  return {
    threshold,
    confident,
    confidentShare: share(confident, queries.length),
    precisionAtThreshold: share(confidentRight, confident),
    fired,
    firedShare: share(fired, queries.length),
    precisionOfFirstFire: share(firedRight, fired),
    settled: early.length,
    keystrokesEarlyMean: early.length === 0 ? 0 : round(early.reduce((a, b) => a + b, 0) / early.length, 2),
    keystrokesEarlyMedian: early.length === 0 ? 0 : early[Math.floor(early.length / 2)]!,
    settledBeforeFullText: share(settledEarly, queries.length),
    trigger: {
      confirmations: JIT_CONFIRMATIONS,
      fired: triggerFired,
      firedShare: share(triggerFired, queries.length),
      precisionOfFirstFire: share(triggerRight, triggerFired),
      keystrokesEarlyMean:
        triggerEarly.length === 0 ? 0 : round(triggerEarly.reduce((a, b) => a + b, 0) / triggerEarly.length, 2),
      keystrokesEarlyMedian: triggerEarly.length === 0 ? 0 : triggerEarly[Math.floor(triggerEarly.length / 2)]!,
      firedEarlyAndRight: share(triggerRightEarly, queries.length),
    },
  };
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
