/**
 * The in-memory index the predictor reads: every product's name and brand as atoms, every contiguous
 * span of atoms joined into a term ("tr","8","s" → "tr", "tr8", "tr8s", "8s", …) so that missing or
 * extra dashes and spaces meet, postings per term (CSR arrays), and the vocabulary as a TermTrie.
 */
import type { Product } from '../catalog/product.js';
import { toWords, type Word } from './normalize.js';
import { MAX_TERM_LENGTH, TermTrie } from './term-trie.js';

/** Spans crossing a space are kept short: people run two words together, rarely more. */
const MAX_CROSS_WORD_ATOMS = 3;
/** Coverage is tracked in a 31-bit mask: atoms past this position never count against a product. */
export const MAX_TRACKED_ATOMS = 31;
/** A span is packed as start * SPAN_BASE + length. */
export const SPAN_BASE = 64;

export interface CatalogIndex {
  readonly productCount: number;
  readonly ids: readonly string[];
  readonly brands: readonly string[];
  readonly names: readonly string[];
  /** Products with the same brand and name share a group: they are one answer to the customer. */
  readonly group: Int32Array;
  readonly trie: TermTrie;
  readonly terms: readonly string[];
  /** Distinct products per term. */
  readonly termDf: Int32Array;
  /** Postings of term t: postProduct/postSpan[postStart[t] .. postStart[t+1]). */
  readonly postStart: Int32Array;
  readonly postProduct: Int32Array;
  readonly postSpan: Int32Array;
  /** Postings counted over trie nodes in preorder: a subtree's volume is cumPostings[end] - cumPostings[n]. */
  readonly cumPostings: Float64Array;
  /** Terms of product p: fwdTerm/fwdSpan[fwdStart[p] .. fwdStart[p+1]). */
  readonly fwdStart: Int32Array;
  readonly fwdTerm: Int32Array;
  readonly fwdSpan: Int32Array;
  /** Weight (IDF) of product p's atom at position i, or 0 when it is a brand word: modelWeight[p*31 + i]. */
  readonly modelWeight: Float32Array;
  readonly modelWeightTotal: Float32Array;
  /**
   * Name atoms (bit i = atom i) that make product p an accessory or variant of another: the words by which
   * it extends another product of its brand ("bag" of "ProFX16v3 Bag" next to "ProFX16 v3"), and the
   * catalog's accessory words wherever they appear ("stand" of "FP-30X Stand", "Stand" having been added
   * to other products' names). 0 for a product with none.
   */
  readonly accessoryMask: Int32Array;
}

/** Extension words considered per product, and removed at most at once (accessory phrases are short). */
const MAX_EXTENSION_WORDS = 6;
const MAX_EXTENSION_REMOVED = 3;

function bitCount(bits: number): number {
  let n = 0;
  for (let b = bits; b !== 0; b &= b - 1) n++;
  return n;
}
const LETTERS = /^\p{L}+$/u;

/**
 * For each product, the atoms that make it another product of the same brand plus letter words (an
 * accessory or a variant of it): found by removing subsets of its letter words and looking the rest up.
 * Nothing is listed by hand: "bag", "cover", "rack ear kit" are what the catalog itself adds to names.
 */
export function extensionMasks(products: readonly Pick<Product, 'brand' | 'name'>[]): Int32Array {
  const keyOf = (brand: string, atoms: Iterable<string>): string => `${brand}\u0000${[...atoms].sort().join(' ')}`;
  const atomsOf = products.map((p) =>
    toWords(p.name)
      .flatMap((w) => w.atoms)
      .slice(0, MAX_TRACKED_ATOMS),
  );
  const brandOf = products.map((p) => p.brand.trim().toLowerCase());
  const known = new Set<string>();
  for (let p = 0; p < products.length; p++) known.add(keyOf(brandOf[p]!, new Set(atomsOf[p])));
  const masks = new Int32Array(products.length);
  products.forEach((_, p) => {
    const atoms = atomsOf[p]!;
    const distinct = [...new Set(atoms)];
    const sorted = [...distinct].sort();
    // Names end with what they add ("… Rack Ear Kit"): the last letter words are the candidates.
    const words = distinct.filter((a) => LETTERS.test(a)).slice(-MAX_EXTENSION_WORDS);
    let removed: string[] | undefined;
    // Fewest words removed first: the closest base names the extension ("rack ear kit" is three).
    search: for (let size = 1; size <= MAX_EXTENSION_REMOVED && size < sorted.length; size++) {
      for (let subset = 1; subset < 1 << words.length; subset++) {
        if (bitCount(subset) !== size) continue;
        const candidate = words.filter((_, i) => subset & (1 << i));
        const rest = sorted.filter((a) => !candidate.includes(a));
        if (known.has(`${brandOf[p]!}\u0000${rest.join(' ')}`)) {
          removed = candidate;
          break search;
        }
      }
    }
    if (!removed) return;
    atoms.forEach((atom, i) => {
      if (removed.includes(atom)) masks[p]! |= 1 << i;
    });
  });
  return masks;
}

/** A word added to this many products' names to name others is an accessory (or variant) word. */
const ACCESSORY_WORD_BASES = 2;
/** Shorter extension atoms are series letters ("D400" → "d"), not words. */
const MIN_ACCESSORY_WORD = 3;

/** The words the catalog adds to products' names to name others ("bag", "cover", "stand"), by count. */
export function accessoryWords(products: readonly Pick<Product, 'brand' | 'name'>[]): Map<string, number> {
  return accessoryWordsOf(products, extensionMasks(products));
}

function accessoryWordsOf(
  products: readonly Pick<Product, 'brand' | 'name'>[],
  masks: Int32Array,
): Map<string, number> {
  const counts = new Map<string, number>();
  products.forEach((product, p) => {
    const atoms = toWords(product.name).flatMap((w) => w.atoms);
    atoms.forEach((atom, i) => {
      if (i < MAX_TRACKED_ATOMS && masks[p]! & (1 << i) && atom.length >= MIN_ACCESSORY_WORD)
        counts.set(atom, (counts.get(atom) ?? 0) + 1);
    });
  });
  for (const [word, count] of counts) if (count < ACCESSORY_WORD_BASES) counts.delete(word);
  return counts;
}

function accessoryMasks(products: readonly Pick<Product, 'brand' | 'name'>[]): Int32Array {
  const masks = extensionMasks(products);
  const words = accessoryWordsOf(products, masks);
  products.forEach((product, p) => {
    // A brand's own words ("Topp Pro") name the maker, never an accessory.
    const brand = new Set(toWords(product.brand).flatMap((w) => w.atoms));
    toWords(product.name)
      .flatMap((w) => w.atoms)
      .forEach((atom, i) => {
        if (i < MAX_TRACKED_ATOMS && words.has(atom) && !brand.has(atom)) masks[p]! |= 1 << i;
      });
  });
  return masks;
}

interface Field {
  words: Word[];
  offset: number;
}

/** Calls `emit(term, start, length)` for every span of the field worth indexing. */
function forEachSpan(field: Field, emit: (term: string, start: number, length: number) => void): void {
  const atoms: string[] = [];
  const alternates: (string | undefined)[] = [];
  const wordOf: number[] = [];
  field.words.forEach((word, w) => {
    word.atoms.forEach((atom, i) => {
      atoms.push(atom);
      alternates.push(word.alternates[i]);
      wordOf.push(w);
    });
  });
  for (let s = 0; s < atoms.length; s++) {
    let plain = '';
    let alternate = '';
    let hasAlternate = false;
    for (let e = s; e < atoms.length; e++) {
      const length = e - s + 1;
      if (wordOf[e] !== wordOf[s] && (length > MAX_CROSS_WORD_ATOMS || wordOf[e]! > wordOf[s]! + 1)) break;
      plain += atoms[e];
      alternate += alternates[e] ?? atoms[e];
      hasAlternate ||= alternates[e] !== undefined;
      if (plain.length > MAX_TERM_LENGTH) break;
      emit(plain, field.offset + s, length);
      if (hasAlternate) emit(alternate, field.offset + s, length);
    }
  }
}

function atomCount(words: readonly Word[]): number {
  let n = 0;
  for (const word of words) n += word.atoms.length;
  return n;
}

/** Every term the index holds for one product (name and brand): what a query word can meet. */
export function productTerms(product: Pick<Product, 'brand' | 'name'>): Set<string> {
  const terms = new Set<string>();
  for (const words of [toWords(product.name), toWords(product.brand)]) {
    forEachSpan({ words, offset: 0 }, (term) => terms.add(term));
  }
  return terms;
}

export function buildCatalogIndex(products: readonly Product[]): CatalogIndex {
  const n = products.length;
  const ids: string[] = [];
  const brands: string[] = [];
  const names: string[] = [];
  const group = new Int32Array(n);
  const groupOf = new Map<string, number>();

  const termIds = new Map<string, number>();
  const termStrings: string[] = [];
  // Raw postings in insertion order, later sorted by term: (term, product, span) triples.
  let rawTerm = new Int32Array(1024);
  let rawProduct = new Int32Array(1024);
  let rawSpan = new Int32Array(1024);
  let rawCount = 0;
  const modelAtoms: string[][] = [];

  for (let p = 0; p < n; p++) {
    const product = products[p]!;
    const brand = product.brand.trim();
    const name = product.name.trim();
    ids.push(product.id);
    brands.push(brand);
    names.push(name);
    const key = `${brand.toLowerCase()}\u0000${name.toLowerCase()}`;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupOf.size;
      groupOf.set(key, g);
    }
    group[p] = g;

    const nameWords = toWords(name);
    const brandWords = toWords(brand);
    const brandAtoms = new Set(brandWords.flatMap((w) => w.atoms));
    modelAtoms.push(nameWords.flatMap((w) => w.atoms).map((atom) => (brandAtoms.has(atom) ? '' : atom)));
    const fields: Field[] = [
      { words: nameWords, offset: 0 },
      { words: brandWords, offset: atomCount(nameWords) },
    ];
    for (const alias of product.aliases ?? []) {
      const words = toWords(alias);
      fields.push({ words, offset: fields.at(-1)!.offset + atomCount(fields.at(-1)!.words) });
    }
    const seen = new Set<number>();
    for (const field of fields) {
      forEachSpan(field, (term, start, length) => {
        let t = termIds.get(term);
        if (t === undefined) {
          t = termStrings.length;
          termIds.set(term, t);
          termStrings.push(term);
        }
        // One posting per (term, product): the first occurrence, i.e. the name before the brand.
        if (seen.has(t)) return;
        seen.add(t);
        if (rawCount === rawTerm.length) {
          rawTerm = grow(rawTerm);
          rawProduct = grow(rawProduct);
          rawSpan = grow(rawSpan);
        }
        rawTerm[rawCount] = t;
        rawProduct[rawCount] = p;
        rawSpan[rawCount++] = start * SPAN_BASE + length;
      });
    }
  }

  // Renumber terms in sorted order so term ids follow trie preorder.
  const order = termStrings.map((_, i) => i).sort((a, b) => (termStrings[a]! < termStrings[b]! ? -1 : 1));
  const terms = order.map((i) => termStrings[i]!);
  const renumber = new Int32Array(order.length);
  order.forEach((oldId, newId) => {
    renumber[oldId] = newId;
  });
  const trie = new TermTrie(terms);

  const termDf = new Int32Array(terms.length);
  for (let r = 0; r < rawCount; r++) termDf[renumber[rawTerm[r]!]!]!++;
  const postStart = new Int32Array(terms.length + 1);
  for (let t = 0; t < terms.length; t++) postStart[t + 1] = postStart[t]! + termDf[t]!;
  const postProduct = new Int32Array(rawCount);
  const postSpan = new Int32Array(rawCount);
  const fill = postStart.slice(0, terms.length);
  const fwdStart = new Int32Array(n + 1);
  const fwdTerm = new Int32Array(rawCount);
  const fwdSpan = new Int32Array(rawCount);
  for (let r = 0; r < rawCount; r++) fwdStart[rawProduct[r]! + 1]!++;
  for (let p = 0; p < n; p++) fwdStart[p + 1]! += fwdStart[p]!;
  const fwdFill = fwdStart.slice(0, n);
  for (let r = 0; r < rawCount; r++) {
    const t = renumber[rawTerm[r]!]!;
    const p = rawProduct[r]!;
    const at = fill[t]!++;
    postProduct[at] = p;
    postSpan[at] = rawSpan[r]!;
    const f = fwdFill[p]!++;
    fwdTerm[f] = t;
    fwdSpan[f] = rawSpan[r]!;
  }

  const cumPostings = new Float64Array(trie.nodeCount + 1);
  for (let node = 0; node < trie.nodeCount; node++) {
    const t = trie.nodeTerm[node]!;
    cumPostings[node + 1] = cumPostings[node]! + (t >= 0 ? termDf[t]! : 0);
  }

  // Atom weight = IDF of the atom as a term: rare words ("sq5", "thin") matter more than "black".
  const modelWeight = new Float32Array(n * MAX_TRACKED_ATOMS);
  const modelWeightTotal = new Float32Array(n);
  const idf = (atom: string): number => {
    const t = termIds.get(atom);
    const df = t === undefined ? 1 : termDf[renumber[t]!]!;
    return Math.log(1 + n / df);
  };
  for (let p = 0; p < n; p++) {
    const atoms = modelAtoms[p]!;
    let total = 0;
    for (let i = 0; i < atoms.length && i < MAX_TRACKED_ATOMS; i++) {
      const atom = atoms[i]!;
      if (atom === '') continue;
      const w = idf(atom);
      modelWeight[p * MAX_TRACKED_ATOMS + i] = w;
      total += w;
    }
    modelWeightTotal[p] = total;
  }

  return {
    productCount: n,
    ids,
    brands,
    names,
    group,
    trie,
    terms,
    termDf,
    postStart,
    postProduct,
    postSpan,
    cumPostings,
    fwdStart,
    fwdTerm,
    fwdSpan,
    modelWeight,
    modelWeightTotal,
    accessoryMask: accessoryMasks(products),
  };
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
