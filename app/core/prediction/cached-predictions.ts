/**
 * The keystroke's port (ports.ts `PredictionPort`): the predictor behind a bounded cache of recent texts'
 * predictions, each kept with its JSON so a frame is serialized once, not once per socket. Customers
 * share prefixes ("r", "ro", "rol", "tr8"), so most keystrokes repeat words someone typed a moment ago.
 * The cache is keyed by the words the predictor reads ("Roland TR-8" and "roland tr8" are one entry).
 * A new catalog builds new cached predictions, so the cache never outlives the catalog version it was
 * computed from.
 */
import { LRUCache } from 'lru-cache';
import type { Product } from '../catalog/product.js';
import type { Prediction, PredictionPort } from '../ports.js';
import { predictionJson } from '../../shared/protocol.js';
import { Finder, productItems } from './finder.js';
import { createPredictor } from './index.js';

/**
 * Word sequences kept, about 1 KB each (the items share the catalog's strings; their JSON is the rest):
 * ~32 MB at most. Under a cyclic sweep of more distinct texts than this (bench:load types every prefix
 * of 2,078 labelled queries, 22,852 distinct word sequences) an LRU keeps nothing useful.
 */
export const PREDICTION_CACHE_ENTRIES = 32_768;
/** Longer texts are rarely typed twice and would crowd the cache: predicted, never kept. */
const MAX_CACHED_KEY = 64;

/**
 * `hasManual`: whether a product's manual can be had (its manualUrl, or a bundled demo manual); every
 * prediction row says so.
 */
export function cachedPredictions(
  products: readonly Product[],
  limit: number,
  hasManual: (product: Product) => boolean = (product) => product.manualUrl !== undefined,
): PredictionPort {
  const predictor = createPredictor(products);
  const finder = new Finder(predictor, products, hasManual);
  const recent = new LRUCache<string, Prediction>({ max: PREDICTION_CACHE_ENTRIES });
  const compute = (words: readonly string[]): Prediction => {
    const finding = deepFreeze(finder.findWords(words, limit));
    // Frozen: one result is handed to every socket that typed the same words. Protocol v4 items are the
    // product rows only: a v4 client never receives a brand row it could select.
    const items = Object.freeze(productItems(finding).map((item) => Object.freeze(item)));
    return Object.freeze({ items, json: Object.freeze(predictionJson(items, finding.rows, finding.notFound)) });
  };
  return {
    prediction(text) {
      const words = predictor.words(text);
      const key = words.join(' ');
      if (key.length > MAX_CACHED_KEY) return compute(words);
      let cached = recent.get(key);
      if (cached === undefined) {
        cached = compute(words);
        recent.set(key, cached);
      }
      return cached;
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
