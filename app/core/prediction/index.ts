/**
 * The predictor: which catalog products the customer means, on every keystroke. In memory and
 * synchronous; a new catalog means a new predictor (createPredictor again), the old one is dropped.
 */
import type { Product } from '../catalog/product.js';
import type { PredictionItem } from '../../shared/protocol.js';
import { buildCatalogIndex } from './catalog-index.js';
import { RankingPredictor } from './predictor.js';

/** What the cached predictions (./cached-predictions.ts) need of a predictor; `RankingPredictor` (./predictor.ts) is the one there is. */
export interface Predictor {
  /** Best products for `text`, best first, at most `limit` (default 5); never throws. */
  predict(text: string, limit?: number): PredictionItem[];
  /** The words ranking reads from `text`; texts with the same words get the same predictions. */
  words(text: string): string[];
  /** predict() on the words of words(). */
  predictWords(words: readonly string[], limit?: number): PredictionItem[];
  /** True when `word` is a term of the catalog's vocabulary. */
  knows(word: string): boolean;
  /** Products indexed. */
  readonly size: number;
}

export function createPredictor(products: readonly Product[]): Predictor {
  return new RankingPredictor(buildCatalogIndex(products));
}
