/**
 * The in-memory catalog every keystroke reads: the predictor index plus a product lookup, and a bounded
 * cache of recent texts' predictions. Customers share prefixes ("r", "ro", "rol", "tr8"), so most
 * keystrokes repeat a text someone typed a moment ago. A new catalog builds a new view, so the cache never
 * outlives the catalog version it was computed from.
 */
import { LRUCache } from 'lru-cache';
import type { Product } from './product.js';
import type { CatalogView } from '../ports.js';
import type { PredictionItem } from '../protocol.js';
import { createPredictor } from '../prediction/index.js';

/** Recent texts kept: about 5 MB of results, enough for the shared prefixes of thousands of typists. */
export const PREDICTION_CACHE_ENTRIES = 20_000;
/** Longer texts are rarely typed twice and would crowd the cache: predicted, never kept. */
const MAX_CACHED_TEXT = 64;

export function buildCatalogView(products: readonly Product[], limit: number): CatalogView & { size: number } {
  const predictor = createPredictor(products);
  const byId = new Map(products.map((p) => [p.id, p]));
  const recent = new LRUCache<string, PredictionItem[]>({ max: PREDICTION_CACHE_ENTRIES });
  return {
    size: byId.size,
    predict: (text) => {
      if (text.length > MAX_CACHED_TEXT) return predictor.predict(text, limit);
      let items = recent.get(text);
      if (items === undefined) {
        // Frozen: one result is handed to every socket that typed the same text.
        items = Object.freeze(predictor.predict(text, limit).map((item) => Object.freeze(item))) as PredictionItem[];
        recent.set(text, items);
      }
      return items;
    },
    product: (id) => byId.get(id),
  };
}
