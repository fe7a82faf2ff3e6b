/**
 * The ranking engines compared by bench/predict.ts, each behind one shape: build an index from the
 * catalog, then answer a query with product indices, best first. Peers are configured the way a
 * careful user of each library would (fuzzy + prefix where the library offers it).
 */
import Fuse from 'fuse.js';
import uFuzzy from '@leeoniya/ufuzzy';
import MiniSearch from 'minisearch';
import { Index as FlexIndex, Charset } from 'flexsearch';
import type { Product } from '../app/core/catalog/product.js';
import { createPredictor } from '../app/core/prediction/index.js';

export interface Engine {
  name: string;
  build(products: readonly Product[]): (query: string, limit: number) => number[];
}

const label = (p: Product): string => `${p.brand} ${p.name}`;

export const ours: Engine = {
  name: 'hsc-jit',
  build(products) {
    const predictor = createPredictor(products);
    const indexOf = new Map(products.map((p, i) => [p.id, i]));
    return (query, limit) => predictor.predict(query, limit).map((item) => indexOf.get(item.productId)!);
  },
};

export const fuse: Engine = {
  name: 'fuse.js',
  build(products) {
    const index = new Fuse(products as Product[], {
      keys: [
        { name: 'name', weight: 0.7 },
        { name: 'brand', weight: 0.3 },
      ],
      threshold: 0.4,
      ignoreLocation: true,
      includeScore: true,
    });
    return (query, limit) => index.search(query, { limit }).map((r) => r.refIndex);
  },
};

export const ufuzzy: Engine = {
  name: '@leeoniya/ufuzzy',
  build(products) {
    const haystack = products.map(label);
    // Single-error mode: one insertion/substitution/transposition/deletion per term.
    const finder = new uFuzzy({ intraMode: 1, intraIns: 1, intraSub: 1, intraTrn: 1, intraDel: 1 });
    return (query, limit) => {
      const [idxs, info, order] = finder.search(haystack, query, 1, 1_000);
      if (!idxs) return [];
      if (info && order) return order.slice(0, limit).map((o) => info.idx[o]!);
      return idxs.slice(0, limit);
    };
  },
};

export const minisearch: Engine = {
  name: 'minisearch',
  build(products) {
    const index = new MiniSearch<{ id: number; brand: string; name: string }>({
      fields: ['brand', 'name'],
      searchOptions: { fuzzy: 0.2, prefix: true, boost: { name: 2 }, combineWith: 'OR' },
    });
    index.addAll(products.map((p, id) => ({ id, brand: p.brand, name: p.name })));
    return (query, limit) =>
      index
        .search(query)
        .slice(0, limit)
        .map((r) => r.id as number);
  },
};

export const flexsearch: Engine = {
  name: 'flexsearch',
  build(products) {
    const index = new FlexIndex({ tokenize: 'forward', encoder: Charset.LatinBalance, resolution: 9 });
    products.forEach((p, i) => {
      index.add(i, label(p));
    });
    return (query, limit) => (index.search(query, { limit, suggest: true }) as number[]).slice(0, limit);
  },
};

export const PEERS: readonly Engine[] = [fuse, ufuzzy, minisearch, flexsearch];
