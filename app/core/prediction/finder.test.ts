/**
 * Issue #25: the right product or an honest "not found". The review's cases on the bundled catalog
 * (cleaned as the import cleans it), and the protocol v4 view of a finding (product rows only).
 */
import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../../bench/queries/catalog.js';
import { cleanRecord } from '../catalog/clean.js';
import { type FamilyRow, Finder, isSelectable, NOT_FOUND_BELOW, productItems } from './finder.js';
import { FamilyRow as FamilyRowSchema, MAX_VARIANTS } from '../../shared/protocol.js';
import { createPredictor } from './index.js';

const products = loadBundledCatalog().map((p) => cleanRecord(p).product);
const withManual = new Set(['mackie_60_mcasterlive', 'akai_professional_55_mpclive2']);
const finder = new Finder(createPredictor(products), products, (p) => withManual.has(p.id));
const carried = new Set(products.map((p) => p.brand));
const top = (text: string) => finder.find(text).rows.find(isSelectable);
const idsOf = (row: ReturnType<typeof top>) =>
  row === undefined ? [] : row.kind === 'product' ? [row.productId] : row.variants.map((v) => v.productId);

describe('the product finder', () => {
  it('shows a family once: "mcaster live" is one row with its variants, led by the one with a manual', () => {
    const finding = finder.find('mcaster live');
    const rows = finding.rows.filter((r) => r.kind !== 'brand' && r.name === 'Mackie M•Caster Live');
    expect(rows).toHaveLength(1);
    const row = rows[0] as FamilyRow;
    expect(row).toMatchObject({ kind: 'family', familyId: 'mackie_60_mcasterlive', hasManual: true });
    expect(row.variants).toEqual([
      { productId: 'mackie_60_mcasterlive', label: 'Standard', hasManual: true },
      { productId: 'mackie_60_mcasterlive_w', label: 'White', hasManual: false },
    ]);
    // A v4 client gets the variant with the manual as the product.
    expect(productItems(finding)[0]).toMatchObject({ productId: 'mackie_60_mcasterlive' });
  });

  it('answers a single letter or a brand with brands, never a confident product', () => {
    for (const text of ['r', 'm', 'roland', 'allen heath', 'paiste']) {
      const finding = finder.find(text);
      expect(finding.rows[0]?.kind, text).toBe('brand');
      expect(finding.notFound, text).toBeUndefined();
      for (const row of finding.rows)
        if (row.kind === 'product') expect(row.confidence, text).toBeLessThan(NOT_FOUND_BELOW);
    }
    expect(finder.find('roland').rows[0]).toMatchObject({ kind: 'brand', brand: 'Roland', confidence: 1 });
  });

  it('does not claim 97% for "y": no carried brand starts with it, so it is not found', () => {
    const finding = finder.find('y');
    expect(finding.notFound).toBeDefined();
    expect(top('y')?.confidence ?? 0).toBeLessThan(NOT_FOUND_BELOW);
  });

  it.each([
    ['korg', 'Korg'],
    ['yamaha', 'Yamaha'],
    ['yamha mg10', 'Yamaha'],
  ])('recognises "%s" as a brand the catalog does not carry and names carried ones instead', (text, brand) => {
    const finding = finder.find(text);
    expect(finding).toMatchObject({ notFound: { uncarriedBrand: brand }, rows: [] });
    expect(finding.notFound!.closestBrands.length).toBeGreaterThan(0);
    for (const closest of finding.notFound!.closestBrands) expect(carried).toContain(closest);
  });

  it.each(['pearl export', 'roland td-17'])(
    '"%s" (a model the catalog lacks of a brand it carries) is not found',
    (text) => {
      const finding = finder.find(text);
      expect(finding.notFound?.uncarriedBrand).toBeUndefined();
      expect(finding.notFound?.closestBrands[0]).toBe(text.startsWith('pearl') ? 'Pearl' : 'Roland');
    },
  );

  it.each([
    ['mpc live 3', 'akai_professional_55_mpclive3'],
    ['rolnd tr8s', 'roland_87-tr8s'],
    ['allen and heath sq5', 'allen_heath_40_sq5'],
    ['spd 30', 'roland_87-spd30'],
  ])('"%s" finds its product with confidence above the threshold', (text, id) => {
    const row = top(text);
    expect(finder.find(text).notFound).toBeUndefined();
    expect(idsOf(row)).toContain(id);
    expect(row?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('never lets a lower row claim more than the top row leaves', () => {
    for (const text of ['mpc live', 'mcaster', 'sq', 'paiste 2002 crash']) {
      const rows = finder.find(text).rows.filter(isSelectable);
      for (const row of rows.slice(1)) expect(row.confidence + rows[0]!.confidence).toBeLessThanOrEqual(1.0005);
    }
  });

  it('gives protocol v4 clients product rows only: nothing they could select is a brand', () => {
    const ids = new Set(products.map((p) => p.id));
    for (const text of ['r', 'roland', 'korg', 'mcaster live', 'allen heath sq']) {
      for (const item of productItems(finder.find(text))) {
        expect(ids.has(item.productId), text).toBe(true);
        expect(Object.keys(item).sort()).toEqual(['brand', 'confidence', 'name', 'productId']);
      }
    }
  });
});

describe('a family larger than protocol v5 allows', () => {
  it('lists at most MAX_VARIANTS variants, those with a manual first, and passes the v5 schema', () => {
    const ids = Array.from({ length: 60 }, (_, i) => `acme_strap_${String(i).padStart(2, '0')}`);
    const catalog = ids.map(
      (id) => cleanRecord({ id, brand: 'Acme', name: 'Acme Guitar Strap', category: '', aliases: [] }).product,
    );
    const manuals = new Set([ids[7]!, ids[58]!]);
    const big = new Finder(createPredictor(catalog), catalog, (p) => manuals.has(p.id));
    const row = big.find('acme guitar strap').rows.find(isSelectable);
    expect(row?.kind).toBe('family');
    const variants = (row as FamilyRow).variants;
    expect(variants).toHaveLength(MAX_VARIANTS);
    expect(variants.slice(0, 2).map((v) => v.productId)).toEqual([ids[7], ids[58]]);
    expect(variants.slice(2).every((v) => !v.hasManual)).toBe(true);
    expect(FamilyRowSchema.safeParse(row).success).toBe(true);
  });
});
