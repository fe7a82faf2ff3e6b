/**
 * Issue #25: the catalog clean on import. One test per brand rule of rules/catalog-rules.json (its
 * exported spellings all become its display name), per name fix, and per merge rule (same brand and
 * name → one family; variant labels from the ids; the row's product has the manual; ids unchanged).
 */
import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../../../bench/queries/catalog.js';
import rulesFile from './rules/catalog-rules.json' with { type: 'json' };
import { brandKey, type CatalogRules, CATALOG_RULES, cleanRecord, compileRules, groupFamilies } from './clean.js';
import type { Product } from './product.js';

const product = (id: string, brand: string, name: string): Product => ({ id, brand, name, category: '', aliases: [] });

describe('brand normalisation', () => {
  it.each((rulesFile as CatalogRules).brands.flatMap((rule) => rule.from.map((from) => [from, rule.display] as const)))(
    'brand "%s", however padded or punctuated, is shown as "%s" and stays matchable',
    (from, display) => {
      const padded = ` ${from.toUpperCase().replace(/ /g, '  ')} `;
      const { product: cleaned, renamed } = cleanRecord(product('x', padded, `${display} X-1`));
      expect(cleaned.brand).toBe(display);
      expect(renamed).toContainEqual({ field: 'brand', from: padded, to: display });
      // The exported spelling is kept as an alias, so customers typing it still match.
      if (brandKey(from) !== brandKey(display)) expect(cleaned.aliases.map(brandKey)).toContain(brandKey(from));
    },
  );

  it('trims a brand no rule names and leaves its spelling alone', () => {
    const { product: cleaned, renamed } = cleanRecord(product('x', ' Steinberg ', 'Steinberg UR22'));
    expect(cleaned.brand).toBe('Steinberg');
    expect(renamed).toEqual([{ field: 'brand', from: ' Steinberg ', to: 'Steinberg' }]);
  });

  it('leaves a clean record untouched (the same object)', () => {
    const clean = product('x', 'Mackie', 'Mackie ProFX10v3');
    expect(cleanRecord(clean).product).toBe(clean);
  });

  it('refuses rules that give one exported brand two display names', () => {
    expect(() =>
      compileRules({
        brands: [
          { from: ['roland commercial'], display: 'Roland', aliases: [] },
          { from: ['Roland  Commercial'], display: 'Roland Pro', aliases: [] },
        ],
        nameFixes: [],
        variantCodes: {},
      }),
    ).toThrow(/listed twice/);
  });
});

describe('name fixes', () => {
  it.each([
    ['+Akai Professional MPC ONE', 'Akai Professional MPC ONE+'],
    ['"Gon Bops Panddeiro 10', 'Gon Bops Panddeiro 10"'],
    ['+ HeadRush Sheeran Looper', 'HeadRush Sheeran Looper+'],
    ['GT-1000Guitar Effects Processor', 'GT-1000 Guitar Effects Processor'],
    ['Roland  TR-8S', 'Roland TR-8S'],
  ])('"%s" is shown as "%s"', (raw, fixed) => {
    expect(CATALOG_RULES.name(raw)).toBe(fixed);
  });

  it('keeps codes that merely look alike ("ProFX10v3", "Amp400.12", 14" sizes)', () => {
    for (const name of ['Mackie ProFX10v3', 'Amphion Amp400.12', 'Remo Emperor 14" Clear']) {
      expect(CATALOG_RULES.name(name)).toBe(name);
    }
  });
});

describe('variant merging', () => {
  const hasManual = (p: Product) => p.id.endsWith('_w');

  it('groups rows with the same brand and name (case and spacing aside) into one family, ids unchanged', () => {
    const { families, familyOf, report } = groupFamilies(
      [
        product('mackie_60_mcasterlive', 'Mackie', 'Mackie M•Caster Live'),
        product('mackie_60_mcasterlive_w', 'Mackie', 'mackie  m•caster live'),
        product('mackie_60_other', 'Mackie', 'Mackie M•Caster Studio'),
      ],
      hasManual,
    );
    expect(families).toHaveLength(2);
    expect(familyOf.get('mackie_60_mcasterlive')).toBe(familyOf.get('mackie_60_mcasterlive_w'));
    expect(report.merged).toHaveLength(1);
    expect(report.merged[0]!.variants.map((v) => v.productId).sort()).toEqual([
      'mackie_60_mcasterlive',
      'mackie_60_mcasterlive_w',
    ]);
  });

  it('puts the variant with a manual first: the family row never leads to a dead end', () => {
    const { families } = groupFamilies(
      [
        product('mackie_60_mcasterlive', 'Mackie', 'Mackie M•Caster Live'),
        product('mackie_60_mcasterlive_w', 'Mackie', 'Mackie M•Caster Live'),
      ],
      hasManual,
    );
    expect(families[0]!.productId).toBe('mackie_60_mcasterlive_w');
    expect(families[0]!.variants.map((v) => v.label)).toEqual(['White', 'Standard']);
  });

  it("labels variants by their ids' distinguishing suffix, whole letter runs only", () => {
    const { families } = groupFamilies(
      [
        product('maton_guitars_74_strap_bl', 'Maton', 'Maton Standard Guitar Strap'),
        product('maton_guitars_74_strap_br', 'Maton', 'Maton Standard Guitar Strap'),
        product('paiste_90_1068518', 'Paiste', 'Paiste Big Beat 2002'),
        product('paiste_90_1068520', 'Paiste', 'Paiste Big Beat 2002'),
      ],
      () => false,
    );
    expect(families[0]!.variants.map((v) => v.label)).toEqual(['Black', 'Brown']);
    expect(families[1]!.variants.map((v) => v.label)).toEqual(['18', '20']);
  });

  it('tells apart variants whose codes mean the same colour by their code', () => {
    const { families } = groupFamilies(
      [
        product('fusion_78_ub01b', 'Fusion', 'Fusion Urban Cornet Bag'),
        product('fusion_78_ub01bk', 'Fusion', 'Fusion Urban Cornet Bag'),
      ],
      () => false,
    );
    expect(families[0]!.variants.map((v) => v.label)).toEqual(['Black (B)', 'Black (BK)']);
  });

  it('keeps a "+" model apart from the model it improves on', () => {
    const { families } = groupFamilies(
      [
        cleanRecord(product('akai_mpcone', 'Akai Professional', 'Akai Professional MPC One')).product,
        cleanRecord(product('akai_mpconemk2', 'Akai Professional', '+Akai Professional MPC ONE')).product,
      ],
      () => false,
    );
    expect(families).toHaveLength(2);
  });

  it('keeps different brands with the same name apart', () => {
    const { families } = groupFamilies([product('a', 'Pearl', 'Bongos'), product('b', 'Remo', 'Bongos')], () => false);
    expect(families).toHaveLength(2);
  });

  it("on the bundled catalog: the issue's duplicate groups are families and nothing is lost", () => {
    const products = loadBundledCatalog().map((p) => cleanRecord(p).product);
    const { families, familyOf, report } = groupFamilies(products, () => false);
    expect(familyOf.size).toBe(products.length);
    expect(report.merged.reduce((n, m) => n + m.variants.length, 0) + families.length - report.merged.length).toBe(
      products.length,
    );
    for (const [a, b] of [
      ['roland_87-spd30', 'roland_87-spd30bk'],
      ['medeli_85_dp460k', 'medeli_85_dp460k_wh'],
      ['remo_19_e10314_00', 'remo_19_e10316_00'],
    ] as const) {
      expect(familyOf.get(a)).toBe(familyOf.get(b));
    }
    // Brand display names: no padding, no exporter suffixes.
    const brands = new Set(products.map((p) => p.brand));
    for (const raw of [' Eaw Eastern Acoustic Works ', 'Roland Commercial', 'Allen Heath', 'Paiste Cymbals']) {
      expect(brands.has(raw)).toBe(false);
    }
    expect(brands).toContain('Allen & Heath');
    expect(brands).toContain('EAW');
    expect(brands).toContain('Roland');
  });
});
