import { describe, expect, it } from 'vitest';
import { readPieces, type Vocabulary } from './segment.js';

const vocabulary = (terms: string[]): Vocabulary => ({
  find: (word) => terms.indexOf(word),
  hasPrefix: (word) => terms.some((t) => t.startsWith(word)),
});
const texts = (pieces: ReturnType<typeof readPieces>) => pieces?.map((p) => `${p.text}:${p.match}`);

describe('reading a word typed without spaces', () => {
  const known = vocabulary([
    'keystation',
    '88',
    'mk',
    '3',
    'digital',
    'piano',
    'cover',
    'b115',
    'rol',
    'live',
    'mcaster',
  ]);

  it('cuts between letters and digits, each run a piece', () => {
    expect(texts(readPieces('keystation88mk3', known, false, true))).toEqual([
      'keystation:exact',
      '88:exact',
      'mk:exact',
      '3:exact',
    ]);
  });

  it('cuts a letter run into known terms, dropping stopwords typed inside', () => {
    expect(texts(readPieces('digitalpiano', known, false, true))).toEqual(['digital:exact', 'piano:exact']);
    expect(texts(readPieces('mcasterlive', known, false, false))).toEqual(['mcaster:exact', 'live:exact']);
    expect(texts(readPieces('coverfor', known, false, true))).toEqual(['cover:exact']);
  });

  it('lets the last piece of the word being typed be the start of a term', () => {
    expect(texts(readPieces('keystation88m', known, true, true))).toEqual(['keystation:exact', '88:exact', 'm:prefix']);
    expect(texts(readPieces('digitalpia', known, true, true))).toEqual(['digital:exact', 'pia:prefix']);
    expect(readPieces('digitalpia', known, false, true)).toBeUndefined();
  });

  it('keeps an unknown run for a lookup with typos, unless the word is known', () => {
    expect(texts(readPieces('keystaton88', known, false, true))).toEqual(['keystaton:fuzzy', '88:exact']);
    expect(readPieces('keystaton88', known, false, false)).toBeUndefined();
  });

  it('does not explain a typo away as short words, and has no reading for one run', () => {
    expect(readPieces('rolnd', known, false, true)).toBeUndefined();
    expect(readPieces('piano', known, false, true)).toBeUndefined();
    expect(readPieces('x'.repeat(40), known, false, true)).toBeUndefined();
  });
});
