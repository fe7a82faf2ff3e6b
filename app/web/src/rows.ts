/**
 * The prediction list's rows (protocol v5: product, product family, brand) as the page shows them and
 * what choosing one does, kept pure so they are tested without a DOM. A brand completes the search box
 * (it is never `select`ed: no product has its id); a family opens the variant picker, whose chosen
 * variant is the product `select`ed; a product is picked at once.
 */
import { closestBrands, confidencePercent, productTitle, WEAK_MATCH_BELOW } from './format.ts';
import type { FamilyRow, NotFound, Prediction, Variant } from './server-frames.ts';

/** A product the customer picked: what the product card, the thread and `select` are about. */
export interface Product {
  productId: string;
  brand: string;
  name: string;
  imageUrl?: string;
}

/** What choosing a row does. */
export type Choice =
  /** Put `text` in the box (a brand and a space) so the customer types the model next. */
  | { kind: 'complete'; text: string }
  | { kind: 'pick'; product: Product }
  /** Ask which variant of the family. */
  | { kind: 'variants'; family: FamilyRow };

/** A row's identity across replies (a product and a family may share an id: the family's lead variant). */
export function rowKey(row: Prediction): string {
  switch (row.kind) {
    case 'product':
      return `product:${row.productId}`;
    case 'family':
      return `family:${row.familyId}`;
    case 'brand':
      return `brand:${row.brand}`;
  }
}

/**
 * The product a variant is: its own id (sessions, threads and manuals are keyed by it) and the family's
 * name with what sets the variant apart, so the box, the card and the thread say which one was chosen.
 */
export function variantProduct(family: FamilyRow, variant: Variant): Product {
  const label = variant.label.trim();
  const named = family.variants.length > 1 && label !== '';
  return { productId: variant.productId, brand: family.brand, name: named ? `${family.name} (${label})` : family.name };
}

export function choiceOf(row: Prediction): Choice {
  switch (row.kind) {
    case 'brand':
      return { kind: 'complete', text: `${row.brand} ` };
    case 'family': {
      // One variant leaves nothing to choose.
      const only = row.variants.length === 1 ? row.variants[0] : undefined;
      return only ? { kind: 'pick', product: variantProduct(row, only) } : { kind: 'variants', family: row };
    }
    case 'product': {
      const { productId, brand, name, imageUrl } = row;
      return { kind: 'pick', product: { productId, brand, name, ...(imageUrl ? { imageUrl } : {}) } };
    }
  }
}

/**
 * True when the best row is not good enough to act on: the hint says "We couldn't find that model" and
 * Enter does nothing. A v5 server says so itself (`notFound`); a v4 one leaves it to the best product's
 * confidence. A brand row's figure is its share of the brands offered, not how likely a product is, so
 * a brand is never weak: completing the box with it is no pick.
 */
export function isWeak(best: Prediction | undefined, notFound: NotFound | undefined): boolean {
  if (notFound) return true;
  return best === undefined || (best.kind !== 'brand' && best.confidence < WEAK_MATCH_BELOW);
}

/** The honest "not found": the brand typed that the catalog lacks, and the closest brands it carries. */
export function notFoundText(rows: readonly Prediction[], notFound: NotFound | undefined): string {
  const brands = notFound?.closestBrands.length ? notFound.closestBrands.slice(0, 3) : closestBrands(rows);
  return [
    "We couldn't find that model.",
    notFound?.uncarriedBrand ? `We don't carry ${notFound.uncarriedBrand}.` : '',
    brands.length > 0 ? `Closest brands we carry: ${brands.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A row's one-line name: the product's or family's title, or the brand. */
export function rowTitle(row: Prediction): string {
  return row.kind === 'brand' ? row.brand : productTitle(row);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Whether a manual exists, as a row says it ("" when a v4 server did not say). */
export function manualNote(hasManual: boolean | undefined): string {
  return hasManual === undefined ? '' : hasManual ? 'Manual' : 'No manual';
}

/**
 * What a row says beside its name: a brand's size, a family's variants and which have a manual (when
 * they differ in that, it is named: it is what matters to a customer here for help), a product's manual.
 */
export function rowDetail(row: Prediction): string {
  switch (row.kind) {
    case 'brand':
      return plural(row.families, 'product'); // the row's first line already says "Brand"
    case 'family': {
      const total = row.variants.length;
      const withManual = row.variants.filter((v) => v.hasManual).length;
      const manual =
        withManual === total ? 'manual' : withManual === 0 ? 'no manual' : `manual for ${withManual} of ${total}`;
      return `${plural(total, 'variant')} · ${manual}`;
    }
    case 'product':
      return manualNote(row.hasManual);
  }
}

/** The figure a row shows: how sure the match is; none for a brand (its figure is a share, not a match). */
export function rowFigure(row: Prediction): string {
  return row.kind === 'brand' || row.confidence < 0.01 ? '' : confidencePercent(row.confidence);
}
