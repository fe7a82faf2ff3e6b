/** Issue #25: brand, family and product rows as the list shows them, and what choosing each does. */
import { describe, expect, it } from 'vitest';
import { choiceOf, isWeak, notFoundText, rowDetail, rowFigure, rowKey, rowTitle, variantProduct } from './rows.ts';
import type { BrandRow, FamilyRow, Prediction } from './server-frames.ts';

const brand: BrandRow = { kind: 'brand', brand: 'Roland', confidence: 1, families: 416 };
const family: FamilyRow = {
  kind: 'family',
  familyId: 'roland_87-spd30',
  brand: 'Roland',
  name: 'Roland SPD-30',
  confidence: 0.99,
  hasManual: true,
  variants: [
    { productId: 'roland_87-spd30', label: 'Standard', hasManual: true },
    { productId: 'roland_87-spd30bk', label: 'Black', hasManual: false },
  ],
};
const product: Prediction = {
  kind: 'product',
  productId: 'roland-bridge_cast',
  brand: 'Roland',
  name: 'Bridge Cast',
  confidence: 0.8,
  hasManual: false,
};

describe('prediction rows', () => {
  it('completes the box with a brand and a space, never a product to select', () => {
    expect(choiceOf(brand)).toEqual({ kind: 'complete', text: 'Roland ' });
  });

  it('asks which variant of a family, and selects the variant chosen under its own id', () => {
    expect(choiceOf(family)).toEqual({ kind: 'variants', family });
    expect(variantProduct(family, family.variants[1]!)).toEqual({
      productId: 'roland_87-spd30bk',
      brand: 'Roland',
      name: 'Roland SPD-30 (Black)',
    });
  });

  it('picks a family of one variant at once, named as the family', () => {
    const one: FamilyRow = { ...family, variants: [family.variants[1]!] };
    expect(choiceOf(one)).toEqual({
      kind: 'pick',
      product: { productId: 'roland_87-spd30bk', brand: 'Roland', name: 'Roland SPD-30' },
    });
  });

  it('picks a product row as the product, with the image a server sent', () => {
    expect(choiceOf({ ...product, imageUrl: 'https://img.example/b.png' })).toEqual({
      kind: 'pick',
      product: {
        productId: 'roland-bridge_cast',
        brand: 'Roland',
        name: 'Bridge Cast',
        imageUrl: 'https://img.example/b.png',
      },
    });
  });

  it('keys rows by kind, so a family and its lead variant shown as a product are different rows', () => {
    const lead: Prediction = { ...product, productId: family.familyId };
    expect(new Set([brand, family, lead].map(rowKey)).size).toBe(3);
  });

  it('says what each row is: a brand its size, a family its variants and which have a manual', () => {
    expect([rowTitle(brand), rowDetail(brand), rowFigure(brand)]).toEqual(['Roland', '416 products', '']);
    expect([rowTitle(family), rowDetail(family), rowFigure(family)]).toEqual([
      'Roland SPD-30',
      '2 variants · manual for 1 of 2',
      '99%',
    ]);
    const all = { ...family, variants: family.variants.map((v) => ({ ...v, hasManual: true })) };
    expect(rowDetail(all)).toBe('2 variants · manual');
    expect(rowDetail({ ...family, variants: family.variants.map((v) => ({ ...v, hasManual: false })) })).toBe(
      '2 variants · no manual',
    );
    expect([rowTitle(product), rowDetail(product)]).toEqual(['Roland Bridge Cast', 'No manual']);
    // A v4 gateway does not say whether there is a manual: the row says nothing rather than guess.
    const { hasManual: _unknown, ...v4 } = product;
    expect(rowDetail(v4)).toBe('');
  });

  it('never calls a brand weak (its figure is a share), a weak product weak, and a not-found verdict weak', () => {
    expect(isWeak({ ...brand, confidence: 0.2 }, undefined)).toBe(false);
    expect(isWeak({ ...product, confidence: 0.49 }, undefined)).toBe(true);
    expect(isWeak(product, undefined)).toBe(false);
    expect(isWeak(undefined, undefined)).toBe(true);
    expect(isWeak(product, { closestBrands: [] })).toBe(true);
  });

  it('says which brand it does not carry and the closest it does, from the verdict, else from the rows', () => {
    expect(notFoundText([], { uncarriedBrand: 'Yamaha', closestBrands: ['Mackie', 'Roland'] })).toBe(
      "We couldn't find that model. We don't carry Yamaha. Closest brands we carry: Mackie, Roland.",
    );
    expect(notFoundText([{ ...product, confidence: 0.1 }], undefined)).toBe(
      "We couldn't find that model. Closest brands we carry: Roland.",
    );
    expect(notFoundText([], { closestBrands: [] })).toBe("We couldn't find that model.");
  });
});
