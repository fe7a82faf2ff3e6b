import { describe, expect, it } from 'vitest';
import type { Product } from '../catalog/product.js';
import { DEV_FILE, readTypingSet } from '../../../bench/eval/typing-set.js';
import { loadBundledCatalog } from '../../../bench/queries/catalog.js';
import { mulberry32 } from '../../../bench/queries/random.js';
import { buildCatalogIndex } from './catalog-index.js';
import { createPredictor } from './index.js';
import { RankingPredictor } from './predictor.js';

const products = loadBundledCatalog();
const predictor = createPredictor(products);
const top = (text: string) => predictor.predict(text)[0];

describe('the issue queries', () => {
  it.each([
    ['akai mpc live 2', 'Akai Professional MPC Live II'],
    ['allen and heath sq5', 'Allen & Heath SQ-5'],
    ['rolnd spd one kik', 'Roland SPD-ONE Kick'],
    ['tr8s', 'Roland TR-8S Rhythm Performer'],
    ['paiste 2002 thin crash 18', 'Paiste 2002 Thin Crash 18" Cymbal'],
    ['mcaster live', 'Mackie M•Caster Live'],
  ])('"%s" finds %s first, confidently', (text, name) => {
    const best = top(text);
    expect(best?.name).toBe(name);
    expect(best!.confidence).toBeGreaterThanOrEqual(0.7);
  });
});

describe('queries customers typed that the first ranking missed', () => {
  it.each([
    ['gp3digital piano', 'roland-gp-3'],
    ['roland se02analog synthesizer', 'roland_87-se02'],
    ['m-audio keystation88mk3', 'm_audio_52_ks88iii'],
    ['xotic rv50neck and bridge pick up', 'xotic_30_rv50nb'],
    ['mackie profx16v3', 'mackie_60_profx16v3'],
    ['mackie profx16v3 bag', 'mackie_60_bag_profx16v3'],
    ['profx16v3 dust cover', 'mackie_60_dcover_profx16v3'],
    ['paiste traditionals 5 ml hi hat', 'paiste_cymbals_90_4303715'],
    ['pearl hh1bella cowbell', 'pearl_88_hh1'],
    ['mackie mp240bta', 'mackie_60_mp240bta'],
    ['mackie mp240', 'mackie_60_mp240'],
    ['dc-30', 'roland_87-dcs30'],
  ])('"%s" finds %s first', (text, id) => {
    expect(top(text)?.productId).toBe(id);
  });

  it('reads a number typed part-way as the start of a size', () => {
    const items = predictor.predict('remo emperor colortone 1 orange');
    expect(items).toHaveLength(5);
    for (const item of items) expect(item.name).toMatch(/Emperor Colortone.*1\d" Orange/);
  });
});

describe('short codes typed with a letter off', () => {
  it('never read the word being typed as the slip: "cy12c-b" is on its way to CY12C-BK', () => {
    // On any catalog with both codes: the pair "cy12cb" is one letter from "cy12ct", but the "b" is being typed.
    const codes = createPredictor([
      { id: 't', brand: 'Roland', name: 'Roland CY-12C-T', category: '', aliases: [] },
      { id: 'bk', brand: 'Roland', name: 'Roland CY12C-BK', category: '', aliases: [] },
    ]);
    expect(codes.predict('roland cy12c-b')[0]?.productId).toBe('bk');
    expect(codes.predict('rooand cy12c-b')[0]?.productId).toBe('bk');
    expect(codes.predict('roland cy12c-t')[0]?.productId).toBe('t');
    expect(top('dc-30')?.productId).toBe('roland_87-dcs30');
  });
});

describe('products and their accessories, on any catalog', () => {
  // Made-up names: nothing about accessories is listed by hand, the catalog's own names teach it.
  const catalog: Product[] = [
    { id: 'a', brand: 'Zeta', name: 'Zeta QX-70 Mixer', category: '', aliases: [] },
    { id: 'a-bag', brand: 'Zeta', name: 'Zeta QX-70 Mixer Gig Bag', category: '', aliases: [] },
    { id: 'a-hood', brand: 'Zeta', name: 'Zeta QX70 Mixer Hood', category: '', aliases: [] },
    { id: 'b', brand: 'Zeta', name: 'Zeta QX-90 Mixer', category: '', aliases: [] },
    { id: 'b-hood', brand: 'Zeta', name: 'Zeta QX-90 Mixer Hood', category: '', aliases: [] },
    { id: 'c', brand: 'Zeta', name: 'Zeta Lumen 12', category: '', aliases: [] },
    { id: 'c-hood', brand: 'Zeta', name: 'Zeta Lumen 12 Hood', category: '', aliases: [] },
    { id: 'd', brand: 'Zeta', name: 'Zeta Aria 5 Digital Stage Piano', category: '', aliases: [] },
    { id: 'd-hood', brand: 'Zeta', name: 'Zeta Aria 5 Hood', category: '', aliases: [] },
  ];
  const small = createPredictor(catalog);

  it('ranks the product above its accessories unless the query names one', () => {
    expect(small.predict('zeta qx70')[0]?.productId).toBe('a');
    expect(small.predict('qx70mixer')[0]?.productId).toBe('a');
    expect(small.predict('qx70 hood')[0]?.productId).toBe('a-hood');
    expect(small.predict('qx-70 gig bag')[0]?.productId).toBe('a-bag');
    expect(small.predict('lumen12')[0]?.productId).toBe('c');
    expect(small.predict('lumen 12 hood')[0]?.productId).toBe('c-hood');
    // "Hood" was added to three products' names: an accessory word, also where no base name nests in it.
    expect(small.predict('zeta aria 5')[0]?.productId).toBe('d');
    expect(small.predict('aria 5 hood')[0]?.productId).toBe('d-hood');
  });

  it('lets the exact number decide between siblings', () => {
    expect(small.predict('qx90')[0]?.productId).toBe('b');
    expect(small.predict('zeta qx 90 hood')[0]?.productId).toBe('b-hood');
  });
});

describe('matching', () => {
  it('tolerates typos in the brand and the model', () => {
    expect(top('rolnd tr8s')?.productId).toBe('roland_87-tr8s');
    expect(top('alen heath sq5')?.productId).toBe('allen_heath_40_sq5');
    expect(top('paiste 2002 thni crash 18')?.productId).toBe('paiste_cymbals_90_1061218');
    expect(top('mackei mcaster live')?.name).toBe('Mackie M•Caster Live');
  });

  it('treats the last word as a prefix being typed', () => {
    const names = predictor
      .predict('akai mpc li')
      .slice(0, 2)
      .map((i) => i.name)
      .sort();
    expect(names).toEqual(['Akai Professional MPC Live II', 'Akai Professional MPC Live III']);
    expect(top('allen heath sq-5-rk')?.productId).toBe('allen_heath_40_sq5_rk19');
  });

  it('meets "&" and "and", dashes, spaces and roman numerals', () => {
    for (const text of ['allen & heath sq-5', 'allen and heath sq 5', 'Allen Heath SQ5'])
      expect(top(text)?.productId).toBe('allen_heath_40_sq5');
    expect(top('spd one kick')?.productId).toBe('roland_87-spd1k');
    expect(top('mpc live ii')?.productId).toBe('akai_professional_55_mpclive2');
    expect(top('mpc live 3')?.productId).toBe('akai_professional_55_mpclive3');
    expect(top('m caster studio')?.name).toBe('Mackie M•Caster Studio');
  });

  it('does not care about word order', () => {
    expect(top('crash thin 2002 paiste 18')?.productId).toBe('paiste_cymbals_90_1061218');
    expect(top('sq5 allen heath')?.productId).toBe('allen_heath_40_sq5');
  });

  it('prefers the product the query fully names over longer names containing it', () => {
    const items = predictor.predict('sq5', 5);
    expect(items[0]?.productId).toBe('allen_heath_40_sq5');
    expect(items.map((i) => i.productId)).toContain('allen_heath_40_sq5_rk19');
  });
});

describe('confidence', () => {
  it('is high for a clear winner and low for an ambiguous prefix', () => {
    expect(top('allen and heath sq5')!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(top('tr8s')!.confidence).toBeGreaterThanOrEqual(0.8);
    for (const text of ['roland', 'pa', 'r', 'mpc']) expect(top(text)!.confidence, text).toBeLessThan(0.5);
  });

  it('lists items best first, with confidence in 0..1 never rising down the list', () => {
    for (const text of ['roland spd', 'paiste crash', 'akai mpc li', 'stand', 'mcaster']) {
      const items = predictor.predict(text, 10);
      expect(items.length).toBeGreaterThan(1);
      expect(new Set(items.map((i) => i.productId)).size).toBe(items.length);
      items.forEach((item, i) => {
        expect(item.confidence).toBeGreaterThanOrEqual(0);
        expect(item.confidence).toBeLessThanOrEqual(1);
        if (i > 0) expect(item.confidence).toBeLessThanOrEqual(items[i - 1]!.confidence);
      });
    }
  });
});

describe('input it must survive', () => {
  it('returns nothing for empty or blank text and honours the limit', () => {
    expect(predictor.predict('')).toEqual([]);
    expect(predictor.predict('   \t\n')).toEqual([]);
    expect(predictor.predict('- • & /')).toEqual([]);
    expect(predictor.predict('roland')).toHaveLength(5);
    expect(predictor.predict('roland', 2)).toHaveLength(2);
    expect(predictor.predict('roland', 0)).toEqual([]);
  });

  it('never throws on junk, emoji, RTL text or broken surrogates', () => {
    const random = mulberry32(7);
    const junk = [
      '🎹🥁🎸',
      'שלום עולם',
      'مرحبا بالعالم',
      '\u202eroland',
      '\ud800\udfff\ud800',
      'a'.repeat(256),
      '\u0000\u0007roland',
    ];
    for (let n = 0; n < 50; n++) {
      junk.push(Array.from({ length: 256 }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join(''));
    }
    for (const text of junk) {
      const items = predictor.predict(text);
      expect(Array.isArray(items)).toBe(true);
      for (const item of items) expect(Number.isFinite(item.confidence)).toBe(true);
    }
  });

  it('is rebuilt from a new catalog', () => {
    const next: Product[] = [
      { id: 'new-1', brand: 'Nord', name: 'Nord Stage 4 88', category: '', aliases: ['stage four'] },
      { id: 'new-2', brand: 'Moog', name: 'Moog Subsequent 37', category: '', aliases: [] },
    ];
    const rebuilt = createPredictor(next);
    expect(rebuilt.size).toBe(2);
    expect(predictor.size).toBe(products.length);
    expect(rebuilt.predict('nord stage 4')[0]?.productId).toBe('new-1');
    expect(rebuilt.predict('stage four')[0]?.productId).toBe('new-1');
    expect(rebuilt.predict('tr8s').map((i) => i.productId)).not.toContain('roland_87-tr8s');
    expect(createPredictor([]).predict('anything')).toEqual([]);
  });
});

describe('searches kept from earlier keystrokes', () => {
  it('answer every keystroke as a predictor that never saw the earlier ones', () => {
    const index = buildCatalogIndex(products);
    const typing = new RankingPredictor(index);
    // Two customers typing at once, with slips, numbers, pairs and words run together; then again. The
    // last pair of "tr8 s" and of "tr 8s" is the same word, with a different word being typed.
    const queries = ['rolnd tr8 s', 'roland tr 8s', 'mackie profx12 v3 bag', 'paiste 2002 18 crash', 'keystation88mk3'];
    const keystrokes = queries.flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));
    const interleaved = keystrokes.flatMap((k, i) => [k, keystrokes[keystrokes.length - 1 - i]!]);
    for (const text of interleaved) {
      expect(typing.predict(text, 17), text).toEqual(new RankingPredictor(index).predict(text, 17));
    }
  });

  it('tell apart one pair typed as different last words', () => {
    // "qx12c b" and "qx12 cb" run together as "qx12cb"; a slip in it must end in the word being typed.
    const index = buildCatalogIndex(
      ['QX-12AB', 'QX-12CT', 'QX-12 CBK Stand'].map((name, i) => ({
        id: `z${i}`,
        brand: 'Zeta',
        name,
        category: '',
        aliases: [],
      })),
    );
    for (const [before, text] of [
      ['qx12c b', 'qx12 cb'],
      ['qx12 cb', 'qx12c b'],
    ] as const) {
      const typing = new RankingPredictor(index);
      typing.predict(before, 17);
      expect(typing.predict(text, 17), text).toEqual(new RankingPredictor(index).predict(text, 17));
    }
  });
});

describe('bounded work per keystroke', () => {
  it('ranks first what the exhaustive ranking does, on every keystroke where either is fairly sure', () => {
    const index = buildCatalogIndex(products);
    const bounded = new RankingPredictor(index);
    const exhaustive = new RankingPredictor(index, { fullRead: Number.POSITIVE_INFINITY });
    let keystrokes = 0;
    let firstDiffers = 0;
    for (const { text } of readTypingSet(DEV_FILE)) {
      for (let i = 1; i <= text.length; i++) {
        const typed = text.slice(0, i);
        const [a] = bounded.predict(typed);
        const [b] = exhaustive.predict(typed);
        keystrokes++;
        if (a?.productId === b?.productId) continue;
        firstDiffers++;
        expect(Math.max(a?.confidence ?? 0, b?.confidence ?? 0), typed).toBeLessThan(0.5);
      }
    }
    expect(keystrokes).toBeGreaterThan(20_000);
    expect(firstDiffers / keystrokes).toBeLessThan(0.005);
  });
});

describe('a catalog where one brand or word names thousands of products', () => {
  // More products of one brand, and of one word, than a keystroke reads in full.
  const widgets: Product[] = Array.from({ length: 6_000 }, (_, i) => ({
    id: `w${i}`,
    brand: 'Acme',
    name: `Widget ${i} Black`,
    category: '',
    aliases: [],
  }));
  const wide = createPredictor([
    ...widgets,
    { id: 'zq', brand: 'Acme', name: 'ZQ-77 Mixer', category: '', aliases: [] },
    { id: 'other', brand: 'Other', name: 'Widget Stand', category: '', aliases: [] },
  ]);

  it('finds the model a rare word names and still credits the common words', () => {
    const best = wide.predict('acme zq-77 mixer')[0];
    expect(best?.productId).toBe('zq');
    expect(best!.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it('finds one widget among thousands by its number', () => {
    expect(wide.predict('widget 4711 black')[0]?.name).toBe('Widget 4711 Black');
    expect(wide.predict('acem widget 4711')[0]?.name).toBe('Widget 4711 Black');
  });

  it('answers a lone common word with products it names, never an empty list', () => {
    const items = wide.predict('acme');
    expect(items).toHaveLength(5);
    for (const item of items) expect(item.brand).toBe('Acme');
    expect(wide.predict('widget st')[0]?.productId).toBe('other');
  });
});
