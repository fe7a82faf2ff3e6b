/** Issue #25: the search box's example is a product we carry; matches show what was typed; weak matches say so. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closestBrands, highlightRanges, SEARCH_EXAMPLE } from './format.ts';

const marked = (text: string, query: string) => highlightRanges(text, query).map(([a, b]) => text.slice(a, b));

describe('search hints', () => {
  it('names, as the placeholder example, a product the bundled catalog carries', () => {
    const catalog = JSON.parse(readFileSync(new URL('../../core/catalog/products.json', import.meta.url), 'utf8')) as {
      name: string;
    }[];
    const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const example = compact(SEARCH_EXAMPLE);
    expect(catalog.some((p) => compact(p.name).startsWith(example))).toBe(true);
    // ... and not the one the review found missing.
    expect(catalog.some((p) => compact(p.name).startsWith('rolandtd17'))).toBe(false);
  });

  it('highlights the typed characters, punctuation and case aside', () => {
    expect(marked('Akai Professional MPC Live III', 'mpc live 3')).toEqual(['MPC', 'Live']);
    expect(marked('Roland TR-8S Rhythm Performer', 'rolnd tr8s')).toEqual(['Rol', 'TR-8S']);
    expect(marked('Allen & Heath SQ-5', 'allen heath sq5')).toEqual(['Allen', 'Heath', 'SQ-5']);
    expect(marked('Mackie M•Caster Live', 'mcaster li')).toEqual(['M•Caster', 'Li']);
    expect(marked('Remo Buffalo Drum', 'yamaha')).toEqual([]);
  });

  it('suggests each carried brand of the weak matches once, best first', () => {
    expect(
      closestBrands([{ brand: 'Pearl' }, { brand: 'Xvive' }, { brand: 'Pearl' }, { brand: 'Remo' }, { brand: 'EAW' }]),
    ).toEqual(['Pearl', 'Xvive', 'Remo']);
  });
});
