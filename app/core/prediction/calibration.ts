/**
 * The shown confidence, calibrated: the ranker's raw score mapped through an isotonic (monotone)
 * regression fitted on the development typing set (bench/eval/fit-calibration.ts writes
 * calibration.json), one curve per kind of query, since "0.9" from a two-letter prefix and "0.9" from a
 * full model name are not equally often right.
 */
import shipped from './calibration.json' with { type: 'json' };

/**
 * Kinds of query with a curve of their own: a brand alone or one or two characters (`brand`), a product
 * of another brand than the one the query names (`other-brand`: "pearl export" → an Xvive mixer), a
 * product without the numbers typed (`other-model`: "roland td-17" → OP-TD1C), the rest.
 */
export const QUERY_CLASSES = ['brand', 'other-brand', 'other-model', 'product'] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

/** A monotone curve: at raw score x[i] the probability of being right is y[i]; linear in between. */
export interface Curve {
  x: number[];
  y: number[];
}

export interface CalibrationData {
  fittedOn: string;
  curves: Record<QueryClass, Curve>;
}

/** Samples per fitted point at least: fewer would fit the development set's noise, not the ranker. */
export const MIN_BLOCK = 30;

/**
 * Pool-adjacent-violators: the non-decreasing fit of `correct` (0/1) against `raw`, as a curve, its
 * blocks pooled until each holds MIN_BLOCK samples; each point's rate is Laplace-smoothed ((k+1)/(n+2)),
 * so a block of 30 misses reads 3%, not a certainty.
 */
export function fitIsotonic(samples: readonly { raw: number; correct: boolean }[]): Curve {
  const sorted = [...samples].sort((a, b) => a.raw - b.raw);
  type Block = { sum: number; count: number; rawSum: number };
  const merge = (a: Block, b: Block): Block => ({
    sum: a.sum + b.sum,
    count: a.count + b.count,
    rawSum: a.rawSum + b.rawSum,
  });
  const blocks: Block[] = [];
  for (const s of sorted) {
    blocks.push({ sum: s.correct ? 1 : 0, count: 1, rawSum: s.raw });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sum / a.count < b.sum / b.count && a.count >= MIN_BLOCK) break;
      blocks.splice(blocks.length - 2, 2, merge(a, b));
    }
  }
  // The last block may still be small: pooled into the one before.
  while (blocks.length > 1 && blocks[blocks.length - 1]!.count < MIN_BLOCK) {
    const b = blocks.pop()!;
    blocks.push(merge(blocks.pop()!, b));
  }
  for (let i = blocks.length - 1; i > 0; i--) {
    const a = blocks[i - 1]!;
    const b = blocks[i]!;
    if (a.sum / a.count >= b.sum / b.count) blocks.splice(i - 1, 2, merge(a, b));
  }
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  // Anchored at (0, 0): a score of 0 explains none of the query. Between the blocks' centres the curve
  // is linear, so a weak score below the lowest block is not lifted to that block's rate.
  // Smoothing can order two nearly equal rates the other way round (0/30 → 3.1%, 2/120 → 2.5%): keep the running maximum.
  let floor = 0;
  return {
    x: [0, ...blocks.map((b) => round(b.rawSum / b.count))],
    y: [
      0,
      ...blocks.map((b) => {
        floor = Math.max(floor, round((b.sum + 1) / (b.count + 2)));
        return floor;
      }),
    ],
  };
}

export function applyCurve(curve: Curve, raw: number): number {
  const { x, y } = curve;
  if (x.length === 0) return raw;
  if (raw <= x[0]!) return y[0]!;
  for (let i = 1; i < x.length; i++) {
    if (raw <= x[i]!) {
      const span = x[i]! - x[i - 1]!;
      const t = span > 0 ? (raw - x[i - 1]!) / span : 1;
      return y[i - 1]! + t * (y[i]! - y[i - 1]!);
    }
  }
  return y[y.length - 1]!;
}

export class Calibrator {
  constructor(private readonly data: CalibrationData = shipped as CalibrationData) {}

  /** The probability that a top product with this raw score is the one meant. */
  calibrate(queryClass: QueryClass, raw: number): number {
    const p = applyCurve(this.data.curves[queryClass], raw);
    return Math.round(Math.min(1, Math.max(0, p)) * 1000) / 1000;
  }
}
