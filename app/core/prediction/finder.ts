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
import { LRUCache } from 'lru-cache';
import { type Family, groupFamilies } from '../catalog/clean.js';
import { CATALOG_RULES } from '../catalog/clean.js';
import type { Product } from '../catalog/product.js';
import {
  type BrandRow,
  type FamilyRow,
  MAX_VARIANTS,
  type NotFound,
  type PredictionItem,
  type PredictionRow,
  type ProductRow,
  productItemOf,
  type Variant,
} from '../../shared/protocol.js';
import { BrandLexicon, type BrandMatch } from './brand-lexicon.js';
import { Calibrator, type QueryClass } from './calibration.js';
import type { Predictor } from './index.js';
import { queryWords, toWords } from './normalize.js';

/** Families whose listed variants are kept (shownVariants). */
const RECENT_FAMILIES = 4_096;
/** Below this calibrated confidence the best product is a weak match: "not found", Enter does not pick it. */
export const NOT_FOUND_BELOW = 0.5;
/** Products read from the ranker to fill `limit` family rows (variants collapse). */
const RANKED_EXTRA = 12;
/** Brands shown for a brand-only query or a single letter, and as "closest" when not found. */
const MAX_BRAND_ROWS = 3;
/** A query this short (letters and digits) names no product: brands, or nothing. */
const SHORT_QUERY = 2;

// The rows and the verdict are protocol v5's own types (app/shared/protocol.ts), so the gateway serializes a
// finding as it is and the schema has one definition.

export type FinderRow = PredictionRow;
export type { FamilyRow };

export interface Finding {
  rows: FinderRow[];
  notFound?: NotFound;
}

type SelectableRow = ProductRow | FamilyRow;

export function isSelectable(row: FinderRow): row is SelectableRow {
  return row.kind !== 'brand';
}

/** Protocol v4 items: product and family rows as products; a v4 client never receives a brand row. */
export function productItems(finding: Finding): PredictionItem[] {
  return finding.rows.flatMap((row) => productItemOf(row) ?? []);
}

export class Finder {
  private readonly families: ReadonlyMap<string, Family>;
  private readonly lexicon: BrandLexicon;
  private readonly brandSizes: ReadonlyMap<string, number>;
  private readonly manual: ReadonlySet<string>;
  private readonly recentVariants = new LRUCache<Family, Variant[]>({ max: RECENT_FAMILIES });

  constructor(
    private readonly predictor: Predictor,
    products: readonly Product[],
    hasManual: (product: Product) => boolean,
    private readonly calibrator = new Calibrator(),
  ) {
    this.manual = new Set(products.filter(hasManual).map((p) => p.id));
    this.families = groupFamilies(products, hasManual).familyOf;
    const sizes = new Map<string, number>();
    for (const family of new Set(this.families.values())) sizes.set(family.brand, (sizes.get(family.brand) ?? 0) + 1);
    this.brandSizes = sizes;
    const carried = new Map([...sizes.keys()].map((b) => [b, CATALOG_RULES.aliasesOf(b)] as const));
    this.lexicon = new BrandLexicon(carried, (word) => predictor.knows(word));
  }

  find(text: string, limit = 5): Finding {
    return this.findWords(this.predictor.words(text), limit);
  }

  findWords(words: readonly string[], limit = 5): Finding {
    if (words.length === 0) return { rows: [] };
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
    if (brandRows.length === 0 && (missing !== undefined || best < NOT_FOUND_BELOW)) {
      const notFound: NotFound = {
        ...(missing ? { uncarriedBrand: missing.brand } : {}),
        closestBrands: this.closestBrands(ranked, carried),
      };
      // A brand the catalog lacks shows no products; weak matches stay listed below the verdict.
      return { rows: missing ? [] : productRows, notFound };
    }
    return { rows: [...brandRows, ...productRows] };
  }

  private familyRows(
    ranked: readonly PredictionItem[],
    limit: number,
    queryClass: (item: PredictionItem) => QueryClass,
  ): SelectableRow[] {
    const rows: SelectableRow[] = [];
    const seen = new Set<Family>();
    for (const item of ranked) {
      if (rows.length === limit) break;
      const family = this.families.get(item.productId);
      if (!family || seen.has(family)) continue;
      seen.add(family);
      const calibrated = this.calibrator.calibrate(queryClass(item), item.confidence);
      // The curve is the top row's; a lower row claims at most what the top row leaves.
      const confidence =
        rows.length === 0 ? calibrated : Math.min(calibrated, Math.round((1 - rows[0]!.confidence) * 1000) / 1000);
      const variants = this.shownVariants(family);
      const { brand, name } = family;
      const hasManual = variants.some((v) => v.hasManual);
      rows.push(
        variants.length > 1
          ? { kind: 'family', familyId: family.familyId, brand, name, confidence, hasManual, variants }
          : { kind: 'product', productId: family.productId, brand, name, confidence, hasManual },
      );
    }
    return rows;
  }

  /**
   * The variants a family's row lists. The schema caps them: the ones with a manual go first (in the
   * family's order), so the cap never drops a variant the customer can read a manual for, nor the one a
   * v4 client gets. Kept for recent families: a large catalog's family may have hundreds of variants,
   * each looked up among a million products' manuals, and a customer's keystrokes show the same rows.
   */
  private shownVariants(family: Family): Variant[] {
    let shown = this.recentVariants.get(family);
    if (shown === undefined) {
      const all = family.variants.map((v) => ({ ...v, hasManual: this.manual.has(v.productId) }));
      shown = [...all.filter((v) => v.hasManual), ...all.filter((v) => !v.hasManual)].slice(0, MAX_VARIANTS);
      this.recentVariants.set(family, shown);
    }
    return shown;
  }

  private brandRows(matches: readonly BrandMatch[]): BrandRow[] {
    const brands = [...new Set(matches.map((m) => m.brand))]
      .map((brand) => ({ brand, families: this.brandSizes.get(brand) ?? 0 }))
      .sort((a, b) => b.families - a.families || a.brand.localeCompare(b.brand))
      .slice(0, MAX_BRAND_ROWS);
    const total = brands.reduce((n, b) => n + b.families, 0);
    return brands.map((b) => ({
      kind: 'brand',
      brand: b.brand,
      confidence: Math.round((b.families / Math.max(1, total)) * 1000) / 1000,
      families: b.families,
    }));
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
