import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../bench/queries/catalog.js';
import { HAND_WRITTEN, labelledQueries, sameAnswer } from '../../bench/queries/labelled.js';
import { createPredictor } from './index.js';

describe('recall on the labelled query set', () => {
  const products = loadBundledCatalog();
  const byId = new Map(products.map((p) => [p.id, p]));
  const queries = labelledQueries(products);
  const predictor = createPredictor(products);

  it('generates a varied, reproducible set', () => {
    expect(queries.length).toBeGreaterThan(800);
    expect(new Set(queries.map((q) => q.kind)).size).toBeGreaterThanOrEqual(8);
    expect(labelledQueries(products).slice(0, 50)).toEqual(queries.slice(0, 50));
    expect(queries.filter((q) => q.kind === 'hand-written')).toHaveLength(HAND_WRITTEN.length);
  });

  it('finds the labelled product in the top 5 for at least 98% and first for at least 95%', () => {
    let first = 0;
    let top5 = 0;
    const misses: string[] = [];
    for (const query of queries) {
      const expected = byId.get(query.expectedId)!;
      const right = predictor.predict(query.text, 5).map((item) => sameAnswer(item, expected));
      if (right[0]) first++;
      if (right.some(Boolean)) top5++;
      else misses.push(`${query.kind}: "${query.text}" → ${expected.name}`);
    }
    expect(top5 / queries.length, misses.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(0.98);
    expect(first / queries.length).toBeGreaterThanOrEqual(0.95);
  });
});
