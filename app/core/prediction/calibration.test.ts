import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/queries/random.js';
import shipped from './calibration.json' with { type: 'json' };
import { applyCurve, fitIsotonic, MIN_BLOCK, QUERY_CLASSES } from './calibration.js';

describe('confidence calibration', () => {
  it('fits a non-decreasing curve that recovers the true rate of a known score → probability law', () => {
    const random = mulberry32(7);
    // Right with probability raw²: an over-confident ranker, as short prefixes are.
    const samples = Array.from({ length: 4_000 }, () => {
      const raw = random();
      return { raw, correct: random() < raw * raw };
    });
    const curve = fitIsotonic(samples);
    for (let i = 1; i < curve.y.length; i++) expect(curve.y[i]!).toBeGreaterThanOrEqual(curve.y[i - 1]!);
    for (const raw of [0.2, 0.5, 0.7, 0.9]) expect(Math.abs(applyCurve(curve, raw) - raw * raw)).toBeLessThan(0.06);
  });

  it('pools small blocks: no point of the curve rests on fewer than MIN_BLOCK samples', () => {
    const samples = Array.from({ length: 95 }, (_, i) => ({ raw: i / 95, correct: i % 3 === 0 }));
    const curve = fitIsotonic(samples);
    // 95 samples hold at most three blocks of 30 (plus the (0, 0) anchor).
    expect(curve.x.length).toBeLessThanOrEqual(1 + Math.floor(95 / MIN_BLOCK));
  });

  it('never reads certainty into a block without a miss (Laplace smoothing)', () => {
    const curve = fitIsotonic(Array.from({ length: 40 }, (_, i) => ({ raw: 0.9 + i / 1_000, correct: true })));
    expect(applyCurve(curve, 0.95)).toBeLessThan(1);
    expect(applyCurve(curve, 0.95)).toBeGreaterThan(0.95);
  });

  it('ships a monotone curve for every query class, fitted on the development set', () => {
    expect(shipped.fittedOn).toBe('bench/eval/typing-dev.json');
    for (const c of QUERY_CLASSES) {
      const { x, y } = shipped.curves[c];
      expect(x.length).toBe(y.length);
      for (let i = 1; i < y.length; i++) expect(y[i]!).toBeGreaterThanOrEqual(y[i - 1]!);
    }
  });
});
