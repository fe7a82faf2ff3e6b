/** The in-memory catalog every keystroke reads: the predictor index plus a product lookup. */
import type { Product } from './product.js';
import type { CatalogView } from '../ports.js';
import { createPredictor } from '../prediction/index.js';

export function buildCatalogView(products: readonly Product[], limit: number): CatalogView & { size: number } {
  const predictor = createPredictor(products);
  const byId = new Map(products.map((p) => [p.id, p]));
  return {
    size: byId.size,
    predict: (text) => predictor.predict(text, limit),
    product: (id) => byId.get(id),
  };
}
