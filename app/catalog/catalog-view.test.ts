import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../bench/queries/catalog.js';
import { Finder, productItems } from '../prediction/finder.js';
import { createPredictor } from '../prediction/index.js';
import { buildCatalogView } from './catalog-view.js';
import { cleanRecord } from './clean.js';

describe('the catalog view', () => {
  const products = loadBundledCatalog().map((p) => cleanRecord(p).product);
  const view = buildCatalogView(products, 5);
  const finder = new Finder(createPredictor(products), products, (p) => p.manualUrl !== undefined);
  const uncached = { predict: (text: string, limit: number) => productItems(finder.find(text, limit)) };

  it('answers a repeated text from its cache with the same predictions the predictor gives', () => {
    for (const text of ['r', 'ro', 'rol', 'roland tr8', 'tr8s', 'mackie profx16v3']) {
      const first = view.predict(text);
      expect(first).toEqual(uncached.predict(text, 5));
      expect(view.predict(text)).toBe(first);
    }
  });

  it('hands out results nobody can change for the next socket', () => {
    const items = view.predict('sq5');
    expect(() => {
      (items as { confidence: number }[])[0]!.confidence = 0;
    }).toThrow(TypeError);
    expect(view.predict('sq5')[0]!.confidence).toBeGreaterThan(0);
  });

  it('forgets everything with the catalog: a new catalog answers from itself', () => {
    const before = view.predict('tr8s');
    expect(before[0]?.productId).toBe('roland_87-tr8s');
    const next = buildCatalogView(
      [{ id: 'only', brand: 'Roland', name: 'Roland TR-8S Mk2', category: '', aliases: [] }],
      5,
    );
    expect(next.predict('tr8s').map((i) => i.productId)).toEqual(['only']);
  });

  it('shares one entry, and one serialized frame, between texts with the same words', () => {
    const first = view.prediction('Roland TR8S');
    expect(view.prediction('roland  tr8s ')).toBe(first);
    expect(first.itemsJson).toBe(JSON.stringify(uncached.predict('Roland TR8S', 5)));
    expect(view.predict('roland tr8s')).toBe(first.items);
  });

  it('serializes the v5 rows and the not-found verdict once, beside the v4 items', () => {
    const brand = view.prediction('roland');
    expect(JSON.parse(brand.rowsJson)[0]).toMatchObject({ kind: 'brand', brand: 'Roland' });
    expect(brand.notFoundJson).toBeUndefined();
    expect(brand.items.every((item) => 'productId' in item)).toBe(true);
    const absent = view.prediction('korg minilogue');
    expect(JSON.parse(absent.notFoundJson!)).toMatchObject({ uncarriedBrand: 'Korg' });
    expect(JSON.parse(absent.rowsJson)).toEqual([]);
  });

  it('predicts long texts without keeping them', () => {
    const long = `roland ${'x'.repeat(30)} ${'y'.repeat(30)}`;
    expect(view.predict(long)).toEqual(uncached.predict(long, 5));
    expect(view.predict(long)).not.toBe(view.predict(long));
  });
});
