import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/queries/random.js';
import { isNumber } from './normalize.js';
import { MAX_QUERY_WORD, TermTrie } from './term-trie.js';

/** Numbers of 1-4 digits and words with digits in them, the neighbourhood a typed number lands in. */
function vocabulary(): string[] {
  const random = mulberry32(7);
  const terms = new Set<string>();
  for (let i = 0; i < 1_500; i++) {
    const digits = String(Math.floor(random() * 10 ** (1 + Math.floor(random() * 4))));
    terms.add(digits);
    if (random() < 0.3) terms.add(`td${digits}`);
    if (random() < 0.3) terms.add(`${digits}x`);
    if (random() < 0.2) terms.add(`${digits.slice(0, 1)}a${digits.slice(1)}`);
  }
  return [...terms].sort();
}

describe('TermTrie.searchNumber', () => {
  const terms = vocabulary();
  const trie = new TermTrie(terms);
  const results = () => ({
    full: [...trie.fullTerm.slice(0, trie.fullCount)].map((t, r) => [t, trie.fullDistance[r]]),
    prefix: [...trie.prefixNode.slice(0, trie.prefixCount)].map((n, r) => [n, trie.prefixDistance[r]]),
  });

  it.each(['7', '73', '05', '173', '999', '1000', '4711', '12345'])(
    '"%s" finds what search keeps of a number, in the same order',
    (number) => {
      for (const asPrefix of [true, false]) {
        for (const anchored of number.length > 2 ? [true, false] : [false]) {
          trie.search(number, 1, asPrefix ? 0 : -1, anchored);
          const { full, prefix } = results();
          const kept = full.filter(
            ([t, d]) => d === 0 || (terms[t!]!.length === number.length + 1 && isNumber(terms[t!]!)),
          );
          trie.searchNumber(number, asPrefix, anchored);
          expect(results(), `${number} asPrefix=${asPrefix} anchored=${anchored}`).toEqual({ full: kept, prefix });
        }
      }
    },
  );

  it('finds a number as long as a query word may be', () => {
    const longest = '9'.repeat(MAX_QUERY_WORD);
    const long = new TermTrie(['17', longest]);
    long.searchNumber(longest, false, true);
    expect([...long.fullTerm.slice(0, long.fullCount)]).toEqual([1]);
  });

  it('finds the numbers one digit longer that the vocabulary holds', () => {
    const few = ['17', '170', '172', '1x7', '217', '27', 'td17'];
    const small = new TermTrie(few);
    small.searchNumber('17', true, false);
    const found = [...small.fullTerm.slice(0, small.fullCount)].map((t) => few[t]);
    expect(found.sort()).toEqual(['17', '170', '172', '217']);
    expect(small.prefixCount).toBe(1);
  });
});

describe('TermTrie.find', () => {
  it('finds every term and nothing else, whatever its characters', () => {
    const random = mulberry32(3);
    const alphabet = 'abcxyz0189éüß-';
    const words = new Set<string>();
    while (words.size < 3_000) {
      let word = '';
      for (let n = 1 + Math.floor(random() * 6); n > 0; n--) word += alphabet[Math.floor(random() * alphabet.length)];
      words.add(word);
    }
    const [terms, others] = [[...words].slice(0, 2_000).sort(), [...words].slice(2_000)];
    const trie = new TermTrie(terms);
    for (const [t, term] of terms.entries()) expect(trie.find(term), term).toBe(t);
    for (const other of others) {
      expect(trie.find(other), other).toBe(-1);
      expect(trie.hasPrefix(other), other).toBe(terms.some((term) => term.startsWith(other)));
    }
  });
});
