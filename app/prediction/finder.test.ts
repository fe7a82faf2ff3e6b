/**
 * Issue #25: the right product or an honest "not found". The review's cases on the bundled catalog
 * (cleaned as the import cleans it), and the protocol v4 view of a finding (product rows only).
 */
import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../bench/queries/catalog.js';
import { cleanRecord } from '../catalog/clean.js';
import { Finder, NOT_FOUND_BELOW, type ProductRow, productItems } from './finder.js';
import { createPredictor } from './index.js';

const products = loadBundledCatalog().map((p) => cleanRecord(p).product);
const withManual = new Set(['mackie_60_mcasterlive', 'akai_professional_55_mpclive2']);
const finder = new Finder(createPredictor(products), products, (p) => withManual.has(p.id));
const carried = new Set(products.map((p) => p.brand));
const top = (text: string) => finder.find(text).rows.find((r): r is ProductRow => r.kind === 'product');

describe('the product finder', () => {
  it('shows a family once: "mcaster live" is one row with its variants, led by the one with a manual', () => {
    const finding = finder.find('mcaster live');
    const rows = finding.rows.filter((r) => r.kind === 'product' && r.name === 'Mackie M•Caster Live');
    expect(rows).toHaveLength(1);
    const row = rows[0] as ProductRow;
    expect(row).toMatchObject({ productId: 'mackie_60_mcasterlive', manual: true });
    expect(row.variants.map((v) => v.productId).sort()).toEqual(['mackie_60_mcasterlive', 'mackie_60_mcasterlive_w']);
    expect(row.variants.find((v) => v.productId === 'mackie_60_mcasterlive_w')).toMatchObject({ manual: false });
  });

  it('answers a single letter or a brand with brands, never a confident product', () => {
    for (const text of ['r', 'm', 'roland', 'allen heath', 'paiste']) {
      const finding = finder.find(text);
      expect(finding.rows[0]?.kind, text).toBe('brand');
      expect(finding.notFound, text).toBe(false);
      for (const row of finding.rows)
        if (row.kind === 'product') expect(row.confidence, text).toBeLessThan(NOT_FOUND_BELOW);
    }
    expect(finder.find('roland').rows[0]).toMatchObject({ kind: 'brand', brand: 'Roland' });
  });

  it('does not claim 97% for "y": no carried brand starts with it, so it is not found', () => {
    const finding = finder.find('y');
    expect(finding.notFound).toBe(true);
    expect(top('y')?.confidence ?? 0).toBeLessThan(NOT_FOUND_BELOW);
  });

  it.each([
    ['korg', 'Korg'],
    ['yamaha', 'Yamaha'],
    ['yamha mg10', 'Yamaha'],
  ])('recognises "%s" as a brand the catalog does not carry and names carried ones instead', (text, brand) => {
    const finding = finder.find(text);
    expect(finding).toMatchObject({ notFound: true, missingBrand: brand, rows: [] });
    expect(finding.closestBrands.length).toBeGreaterThan(0);
    for (const closest of finding.closestBrands) expect(carried).toContain(closest);
  });

  it.each(['pearl export', 'roland td-17'])(
    '"%s" (a model the catalog lacks of a brand it carries) is not found',
    (text) => {
      const finding = finder.find(text);
      expect(finding.notFound).toBe(true);
      expect(finding.closestBrands[0]).toBe(text.startsWith('pearl') ? 'Pearl' : 'Roland');
    },
  );

  it.each([
    ['mpc live 3', 'akai_professional_55_mpclive3'],
    ['rolnd tr8s', 'roland_87-tr8s'],
    ['allen and heath sq5', 'allen_heath_40_sq5'],
    ['spd 30', 'roland_87-spd30'],
  ])('"%s" finds its product with confidence above the threshold', (text, id) => {
    const row = top(text);
    expect(finder.find(text).notFound).toBe(false);
    expect([row?.productId, ...(row?.variants.map((v) => v.productId) ?? [])]).toContain(id);
    expect(row?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('never lets a lower row claim more than the top row leaves', () => {
    for (const text of ['mpc live', 'mcaster', 'sq', 'paiste 2002 crash']) {
      const rows = finder.find(text).rows.filter((r): r is ProductRow => r.kind === 'product');
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
