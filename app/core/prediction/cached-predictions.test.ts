import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../../bench/queries/catalog.js';
import { cleanRecord } from '../catalog/clean.js';
import { PredictionFrameV4, PredictionFrameV5, serializePrediction } from '../../shared/protocol.js';
import { cachedPredictions } from './cached-predictions.js';
import { Finder, productItems } from './finder.js';
import { createPredictor } from './index.js';

describe('the cached predictions', () => {
  const products = loadBundledCatalog().map((p) => cleanRecord(p).product);
  const predictions = cachedPredictions(products, 5);
  const items = (text: string) => predictions.prediction(text).items;
  const finder = new Finder(createPredictor(products), products, (p) => p.manualUrl !== undefined);
  const uncached = (text: string, limit: number) => productItems(finder.find(text, limit));

  it('answers a repeated text from its cache with the same predictions the predictor gives', () => {
    for (const text of ['r', 'ro', 'rol', 'roland tr8', 'tr8s', 'mackie profx16v3']) {
      const first = items(text);
      expect(first).toEqual(uncached(text, 5));
      expect(items(text)).toBe(first);
    }
  });

  it('hands out results nobody can change for the next socket', () => {
    const sq5 = items('sq5');
    expect(() => {
      (sq5 as unknown as { confidence: number }[])[0]!.confidence = 0;
    }).toThrow(TypeError);
    expect(items('sq5')[0]!.confidence).toBeGreaterThan(0);
  });

  it('forgets everything with the catalog: a new catalog answers from itself', () => {
    const before = items('tr8s');
    expect(before[0]?.productId).toBe('roland_87-tr8s');
    const next = cachedPredictions(
      [{ id: 'only', brand: 'Roland', name: 'Roland TR-8S Mk2', category: '', aliases: [] }],
      5,
    );
    expect(next.prediction('tr8s').items.map((i) => i.productId)).toEqual(['only']);
  });

  it('shares one entry, and one serialized frame, between texts with the same words', () => {
    const first = predictions.prediction('Roland TR8S');
    expect(predictions.prediction('roland  tr8s ')).toBe(first);
    expect(first.json.items).toBe(JSON.stringify(uncached('Roland TR8S', 5)));
    expect(items('roland tr8s')).toBe(first.items);
  });

  it('serializes the v5 rows and the not-found verdict once, beside the v4 items', () => {
    const brand = predictions.prediction('roland');
    expect(JSON.parse(brand.json.rows)[0]).toMatchObject({ kind: 'brand', brand: 'Roland' });
    expect(brand.json.notFound).toBeUndefined();
    expect(brand.items.every((item) => 'productId' in item)).toBe(true);
    const absent = predictions.prediction('korg minilogue');
    expect(JSON.parse(absent.json.notFound!)).toMatchObject({ uncarriedBrand: 'Korg' });
    expect(JSON.parse(absent.json.rows)).toEqual([]);
  });

  it('predicts long texts without keeping them', () => {
    const long = `roland ${'x'.repeat(30)} ${'y'.repeat(30)}`;
    expect(items(long)).toEqual(uncached(long, 5));
    expect(items(long)).not.toBe(items(long));
  });

  it("sends every socket a frame of the cached JSON that its version's schema accepts", () => {
    for (const text of ['r', 'roland', 'roland tr8', 'korg minilogue', 'qqqq']) {
      const { items, json } = predictions.prediction(text);
      expect(PredictionFrameV4.parse(JSON.parse(serializePrediction(4, 7, json))).items).toEqual(items);
      const v5 = PredictionFrameV5.parse(JSON.parse(serializePrediction(5, 7, json)));
      expect(v5.items).toEqual(JSON.parse(json.rows));
      expect(v5.seq).toBe(7);
    }
  });
});
