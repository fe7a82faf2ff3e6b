/**
 * What the product finder answers to the text in the box: rows best first (a product family, or a
 * brand when the query names only a brand or is a single letter), the calibrated confidence of the best
 * product, and an honest "not found" with the closest brands the catalog carries when the query names a
 * brand the catalog does not carry or no product is a likely match.
 *
 * The ranker (predictor.ts) orders products; this layer groups variants into one row per family, reads
 * the brand out of the query (brand-lexicon.ts) and maps the ranker's score to a probability
 * (calibration.ts). Older clients see only the product rows (`productItems`).
 */
import { type Family, groupFamilies } from '../catalog/clean.js';
import { CATALOG_RULES } from '../catalog/clean.js';
import type { Product } from '../catalog/product.js';
import type { PredictionItem } from '../protocol.js';
import { BrandLexicon, type BrandMatch } from './brand-lexicon.js';
import { Calibrator, type QueryClass } from './calibration.js';
import type { Predictor } from './index.js';
import { queryWords, toWords } from './normalize.js';

/** Below this calibrated confidence the best product is a weak match: "not found", Enter does not pick it. */
export const NOT_FOUND_BELOW = 0.5;
/** Products read from the ranker to fill `limit` family rows (variants collapse). */
const RANKED_EXTRA = 12;
/** Brands shown for a brand-only query or a single letter, and as "closest" when not found. */
const MAX_BRAND_ROWS = 3;
/** A query this short (letters and digits) names no product: brands, or nothing. */
const SHORT_QUERY = 2;

export interface ProductRow {
  kind: 'product';
  productId: string;
  brand: string;
  name: string;
  /** Calibrated: how often a row shown with this figure is the product meant. */
  confidence: number;
  manual: boolean;
  /** Two or more when the row is a family (colour, size, pack): the variant is chosen after. */
  variants: { productId: string; label: string; manual: boolean }[];
}

export interface BrandRow {
  kind: 'brand';
  brand: string;
  products: number;
}

export type FinderRow = ProductRow | BrandRow;

export interface Finding {
  rows: FinderRow[];
  /** True when nothing the catalog carries is a likely match: the UI says so and Enter picks nothing. */
  notFound: boolean;
  /** When not found: the brand the query named that the catalog lacks, if any. */
  missingBrand?: string;
  /** When not found, or a brand only: carried brands closest to what was typed. */
  closestBrands: string[];
}

/** The product rows as protocol v4 items: a v4 client never receives a brand row. */
export function productItems(finding: Finding): PredictionItem[] {
  return finding.rows
    .filter((r): r is ProductRow => r.kind === 'product')
    .map((r) => ({ productId: r.productId, brand: r.brand, name: r.name, confidence: r.confidence }));
}

export class Finder {
  private readonly families: ReadonlyMap<string, Family>;
  private readonly lexicon: BrandLexicon;
  private readonly brandSizes: ReadonlyMap<string, number>;
  private readonly manual: ReadonlySet<string>;

  constructor(
    private readonly predictor: Predictor,
    products: readonly Product[],
    hasManual: (product: Product) => boolean,
    private readonly calibrator = new Calibrator(),
  ) {
    this.manual = new Set(products.filter(hasManual).map((p) => p.id));
    this.families = groupFamilies(products, hasManual).familyOf;
    const sizes = new Map<string, number>();
    for (const p of products) sizes.set(p.brand, (sizes.get(p.brand) ?? 0) + 1);
    this.brandSizes = sizes;
    const carried = new Map([...sizes.keys()].map((b) => [b, CATALOG_RULES.aliasesOf(b)] as const));
    this.lexicon = new BrandLexicon(carried, (word) => predictor.knows(word));
  }

  find(text: string, limit = 5): Finding {
    return this.findWords(this.predictor.words(text), limit);
  }

  findWords(words: readonly string[], limit = 5): Finding {
    if (words.length === 0) return { rows: [], notFound: false, closestBrands: [] };
    const matches = this.lexicon.match(words);
    const carried = matches.filter((m) => m.carried);
    const all = words.length - 1;
    const brandOnly = carried.filter((m) => m.from === 0 && m.to === all);
    const missing = carried.length === 0 ? matches.find((m) => !m.carried) : undefined;
    const typed = words.join('').length;
    const brandQuery = brandOnly.length > 0 || typed <= SHORT_QUERY;
    const ranked = this.predictor.predictWords(words, limit + RANKED_EXTRA);
    // The query names a carried brand and the product is another brand's whose name does not hold those
    // words either ("pearl export" → an Xvive mixer; not "rhythm machine" → Roland's Rhythm Machine).
    const otherBrand = (item: PredictionItem): boolean => {
      const family = this.families.get(item.productId);
      if (!family || carried.length === 0) return false;
      const own = queryWords(`${family.brand} ${family.name}`).join('');
      return carried.every((m) => m.brand !== family.brand && !own.includes(words.slice(m.from, m.to + 1).join('')));
    };
    // A number typed ("td-17" → 17) that is nowhere in the product's digits (run together, so "14x35"
    // meets 14x3.5): another model of the line, or one the catalog lacks ("roland td-17" → OP-TD1C).
    const typedNumbers = words.flatMap((w) => w.match(/\d+/g) ?? []);
    const otherModel = (item: PredictionItem): boolean => {
      const family = this.families.get(item.productId);
      if (!family || typedNumbers.length === 0) return false;
      const own = toWords(family.name)
        .flatMap((w) => w.atoms.map((a, i) => w.alternates[i] ?? a))
        .join('')
        .replace(/\D+/g, '');
      return typedNumbers.some((n) => !own.includes(n));
    };
    const queryClass = (item: PredictionItem): QueryClass =>
      brandQuery ? 'brand' : otherBrand(item) ? 'other-brand' : otherModel(item) ? 'other-model' : 'product';
    const productRows = this.familyRows(ranked, limit, queryClass);
    const brandRows = this.brandRows(brandOnly);
    const best = productRows[0]?.confidence ?? 0;
    const notFound = brandRows.length === 0 && (missing !== undefined || best < NOT_FOUND_BELOW);
    if (notFound) {
      return {
        rows: missing ? [] : productRows,
        notFound,
        ...(missing ? { missingBrand: missing.brand } : {}),
        closestBrands: this.closestBrands(ranked, carried),
      };
    }
    return { rows: [...brandRows, ...productRows], notFound: false, closestBrands: [] };
  }

  private familyRows(
    ranked: readonly PredictionItem[],
    limit: number,
    queryClass: (item: PredictionItem) => QueryClass,
  ): ProductRow[] {
    const rows: ProductRow[] = [];
    const seen = new Set<Family>();
    for (const item of ranked) {
      if (rows.length === limit) break;
      const family = this.families.get(item.productId);
      if (!family || seen.has(family)) continue;
      seen.add(family);
      const confidence = this.calibrator.calibrate(queryClass(item), item.confidence);
      rows.push({
        kind: 'product',
        productId: family.productId,
        brand: family.brand,
        name: family.name,
        // The curve is the top row's; a lower row claims at most what the top row leaves.
        confidence:
          rows.length === 0 ? confidence : Math.min(confidence, Math.round((1 - rows[0]!.confidence) * 1000) / 1000),
        manual: family.variants.some((v) => this.manual.has(v.productId)),
        variants:
          family.variants.length > 1
            ? family.variants.map((v) => ({ ...v, manual: this.manual.has(v.productId) }))
            : [],
      });
    }
    return rows;
  }

  private brandRows(matches: readonly BrandMatch[]): BrandRow[] {
    const brands = [...new Set(matches.map((m) => m.brand))]
      .map((brand) => ({ kind: 'brand' as const, brand, products: this.brandSizes.get(brand) ?? 0 }))
      .sort((a, b) => b.products - a.products || a.brand.localeCompare(b.brand));
    return brands.slice(0, MAX_BRAND_ROWS);
  }

  /** Carried brands the query named (typed with a slip, say), else the brands of the best weak matches. */
  private closestBrands(ranked: readonly PredictionItem[], carried: readonly BrandMatch[]): string[] {
    const brands = [...carried.map((m) => m.brand), ...ranked.map((r) => this.families.get(r.productId)?.brand)];
    const distinct = [...new Set(brands.filter((b): b is string => b !== undefined))];
    if (distinct.length > 0) return distinct.slice(0, MAX_BRAND_ROWS);
    return [...this.brandSizes.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_BRAND_ROWS)
      .map(([b]) => b);
  }
}
