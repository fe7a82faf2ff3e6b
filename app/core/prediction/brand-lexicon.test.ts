import { describe, expect, it } from 'vitest';
import knownBrands from '../catalog/rules/known-brands.json' with { type: 'json' };
import { BrandLexicon } from './brand-lexicon.js';
import { queryWords } from './normalize.js';

const catalogWords = new Set(['orange', 'emperor', 'colortone', 'td1c']);
const lexicon = new BrandLexicon(
  new Map([
    ['Allen & Heath', ['allen heath', 'a&h']],
    ['Roland', ['Roland Commercial']],
    ['Pearl', []],
  ]),
  (word) => catalogWords.has(word),
  ['Korg', 'Yamaha', 'Orange', 'Native Instruments', 'Pearl'],
);
const brands = (text: string) =>
  lexicon.match(queryWords(text)).map((m) => `${m.brand}${m.carried ? '' : ' (absent)'}`);

describe('the brand lexicon', () => {
  it('meets a carried brand however it is spaced, slipped or cut short', () => {
    for (const text of ['allen heath', 'allenheath', 'alen heath', 'allen & heath sq5', 'allen']) {
      expect(brands(text), text).toContain('Allen & Heath');
    }
    expect(brands('rol')).toContain('Roland');
    expect(brands('roland commercial')).toContain('Roland');
  });

  it('recognises brands the catalog does not carry, typed whole or with a slip', () => {
    expect(brands('korg minilogue')).toContain('Korg (absent)');
    expect(brands('yamha mg10')).toContain('Yamaha (absent)');
    expect(brands('native instruments maschine')).toContain('Native Instruments (absent)');
    // Not from a prefix: "kor" may be the start of anything.
    expect(brands('kor')).toEqual([]);
  });

  it('never calls a word the catalog uses a missing brand ("orange" drum heads)', () => {
    expect(brands('remo emperor colortone orange')).not.toContain('Orange (absent)');
  });

  it('matches a brand the catalog carries as carried, even when the list of known brands has it too', () => {
    expect(brands('pearl')).toEqual(['Pearl']);
  });

  it('ships a list of known brands with its source stated', () => {
    expect(knownBrands.$comment).toMatch(/Source:/);
    expect(knownBrands.brands.length).toBeGreaterThan(300);
    expect(new Set(knownBrands.brands.map((b) => b.toLowerCase())).size).toBe(knownBrands.brands.length);
  });
});
