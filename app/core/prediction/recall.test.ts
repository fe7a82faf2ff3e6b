import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../../bench/queries/catalog.js';
import { HAND_WRITTEN, labelledQueries, sameAnswer } from '../../../bench/queries/labelled.js';
import { calibrate } from '../../../bench/queries/calibration.js';
import { loadConfig } from '../../shared/config.js';
import { createPredictor } from './index.js';

describe('recall on the labelled query set', () => {
  const products = loadBundledCatalog();
  const byId = new Map(products.map((p) => [p.id, p]));
  const queries = labelledQueries(products);
  const predictor = createPredictor(products);

  it('generates a varied, reproducible set', () => {
    expect(queries.length).toBeGreaterThan(800);
    expect(new Set(queries.map((q) => q.kind)).size).toBeGreaterThanOrEqual(8);
    for (const family of ['run-together', 'accessory-vs-base', 'sibling-number', 'short-code']) {
      expect(queries.filter((q) => q.kind === family).length, family).toBeGreaterThan(100);
    }
    const heldOut = queries.filter((q) => q.heldOut).length;
    expect(heldOut / queries.length).toBeGreaterThan(0.15);
    expect(heldOut / queries.length).toBeLessThan(0.35);
    expect(labelledQueries(products, 20)).toEqual(labelledQueries(products, 20));
    expect(queries.filter((q) => q.kind === 'hand-written')).toHaveLength(HAND_WRITTEN.length);
    // Generating a set checks each query for ambiguity against the whole catalog: seconds, more when loaded.
  });

  it('finds the labelled product first for 99% and in the top 5 for 99.8%, no family below 97%', () => {
    const tally = new Map<string, { queries: number; first: number; top5: number }>();
    const misses: string[] = [];
    let first = 0;
    let top5 = 0;
    for (const query of queries) {
      const expected = byId.get(query.expectedId)!;
      const right = predictor.predict(query.text, 5).map((item) => sameAnswer(item, expected));
      const family = tally.get(query.kind) ?? { queries: 0, first: 0, top5: 0 };
      tally.set(query.kind, family);
      family.queries++;
      if (right[0]) {
        first++;
        family.first++;
      } else misses.push(`${query.kind}: "${query.text}" → ${expected.name}`);
      if (right.some(Boolean)) {
        top5++;
        family.top5++;
      }
    }
    const figures = Object.fromEntries([...tally].map(([kind, f]) => [kind, f.first / f.queries]));
    console.log(`recall@1 ${first / queries.length}, recall@5 ${top5 / queries.length}`, figures);
    expect(first / queries.length, misses.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(top5 / queries.length).toBeGreaterThanOrEqual(0.998);
    for (const [kind, f] of tally) expect(f.first / f.queries, kind).toBeGreaterThanOrEqual(0.97);
  });

  it('is confident only when right: precision at the default threshold of at least 0.99, settling before the end', () => {
    const threshold = loadConfig({}).manuals.prefetchConfidence;
    // Every fourth query: each is typed keystroke by keystroke, tens of thousands of predictions.
    const sample = queries.filter((_, i) => i % 4 === 0);
    const figures = calibrate((text) => predictor.predict(text, 5), products, sample, threshold);
    console.log('calibration', figures);
    expect(figures.confidentShare).toBeGreaterThan(0.9);
    expect(figures.precisionAtThreshold).toBeGreaterThanOrEqual(0.99);
    expect(figures.settledBeforeFullText).toBeGreaterThan(0.5);
    // The trigger's first fetch names the right product (the threshold crossed once did 0.78 of the time).
    expect(figures.trigger.precisionOfFirstFire).toBeGreaterThanOrEqual(0.94);
    expect(figures.trigger.firedShare).toBeGreaterThan(0.9);
  });
});
