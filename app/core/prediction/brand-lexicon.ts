/**
 * Which brand a query names, if any: the brands the catalog carries (display names, their aliases from
 * the catalog rules, and the first word of a longer name: "allen", "akai") and the instrument and audio
 * brands it does not carry (app/core/catalog/rules/known-brands.json). Brands are matched on the query's
 * words run together ("allen heath", "allenheath", "alen heath" all meet "allenheath"), within an edit
 * budget that grows with length, the word being typed as a prefix.
 */
import knownBrands from '../catalog/rules/known-brands.json' with { type: 'json' };
import { queryWords } from './normalize.js';
import { TermTrie } from './term-trie.js';

/** Brand words run together over at most this many query words ("eaw eastern acoustic works"). */
const MAX_BRAND_WORDS = 4;
/** A first word this short is not a brand by itself ("m" of M-Audio, "v" of V-MODA). */
const MIN_FIRST_WORD = 4;

export interface BrandMatch {
  /** Display name of a carried brand, or the known name of one the catalog does not carry. */
  brand: string;
  carried: boolean;
  /** Query words it spans: words[from..to]. */
  from: number;
  to: number;
}

function compact(text: string): string {
  return queryWords(text).join('');
}

function edits(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2;
}

export class BrandLexicon {
  private readonly trie: TermTrie;
  private readonly terms: string[];
  /** Per term: the brands it names (a first word may name two: "roland" for nothing else, "pearl"). */
  private readonly owners: { brand: string; carried: boolean }[][];

  /**
   * `carried`: display name → the other ways it is written (aliases). `isCatalogWord`: a word the
   * catalog's products use, which never counts as a brand the catalog lacks ("jupiter", "orange").
   */
  constructor(
    carried: ReadonlyMap<string, readonly string[]>,
    private readonly isCatalogWord: (word: string) => boolean,
    absent: readonly string[] = knownBrands.brands,
  ) {
    const byTerm = new Map<string, { brand: string; carried: boolean }[]>();
    const add = (term: string, brand: string, isCarried: boolean) => {
      if (term === '' || term.length > 32) return;
      const list = byTerm.get(term) ?? [];
      if (!list.some((o) => o.brand === brand)) list.push({ brand, carried: isCarried });
      byTerm.set(term, list);
    };
    for (const [brand, aliases] of carried) {
      for (const name of [brand, ...aliases]) {
        add(compact(name), brand, true);
        const first = queryWords(name)[0];
        if (first && first.length >= MIN_FIRST_WORD) add(first, brand, true);
      }
    }
    for (const brand of absent) {
      const term = compact(brand);
      // A brand the catalog carries under its own name is matched as carried only.
      if (byTerm.get(term)?.some((o) => o.carried)) continue;
      add(term, brand, false);
    }
    this.terms = [...byTerm.keys()].sort();
    this.owners = this.terms.map((t) => byTerm.get(t)!);
    this.trie = new TermTrie(this.terms);
  }

  /**
   * Brands named by the query's words, longest spans first. The last word may be a prefix of a carried
   * brand ("rol" → Roland); a brand the catalog does not carry must be typed whole (give or take a slip).
   */
  match(words: readonly string[]): BrandMatch[] {
    const found: BrandMatch[] = [];
    const last = words.length - 1;
    for (let from = 0; from <= last; from++) {
      for (let to = Math.min(last, from + MAX_BRAND_WORDS - 1); to >= from; to--) {
        const text = words.slice(from, to + 1).join('');
        if (text.length > 32) continue;
        const typing = to === last;
        this.trie.search(text, edits(text.length), typing ? edits(text.length) : -1, true);
        for (let r = 0; r < this.trie.fullCount; r++) {
          for (const owner of this.owners[this.trie.fullTerm[r]!]!) {
            // A catalog word typed exactly is the catalog's ("orange" heads), not a missing brand.
            if (!owner.carried && this.isCatalogWord(text)) continue;
            found.push({ ...owner, from, to });
          }
        }
        if (typing) {
          for (let h = 0; h < this.trie.prefixCount; h++) {
            const node = this.trie.prefixNode[h]!;
            for (let x = node; x < this.trie.nodeEnd[node]!; x++) {
              const t = this.trie.nodeTerm[x]!;
              if (t < 0) continue;
              for (const owner of this.owners[t]!) if (owner.carried) found.push({ ...owner, from, to });
            }
          }
        }
      }
    }
    const seen = new Set<string>();
    return found
      .sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from)
      .filter((m) => {
        const key = `${m.brand}\u0000${m.from}\u0000${m.to}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }
}
