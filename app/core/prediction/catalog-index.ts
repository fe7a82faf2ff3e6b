/**
 * The in-memory index the predictor reads: every product's name and brand as atoms, every contiguous
 * span of atoms joined into a term ("tr","8","s" → "tr", "tr8", "tr8s", "8s", …) so that missing or
 * extra dashes and spaces meet, postings per term (CSR arrays), and the vocabulary as a TermTrie.
 */
import type { Product } from '../catalog/product.js';
import { accessoryMasks, type ProductAtoms } from './accessories.js';
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
  /**
   * Length of each term: a prefix lookup weighs thousands of completions by their length, and reading
   * each one's string would be a cache miss apiece in a large vocabulary.
   */
  readonly termLength: Uint8Array;
  /**
   * Postings of term t: postProduct/postSpan[postStart[t] .. postStart[t+1]), the products the term names
   * most fully first (fewest name atoms it leaves uncovered), catalog order among equals: a lookup that
   * may read only the head of a long list reads the products a lone word ranks highest.
   */
  readonly postStart: Int32Array;
  readonly postProduct: Int32Array;
  readonly postSpan: Int32Array;
  /** Postings counted over trie nodes in preorder: a subtree's volume is cumPostings[end] - cumPostings[n]. */
  readonly cumPostings: Float64Array;
  /** Terms of product p: fwdTerm/fwdSpan[fwdStart[p] .. fwdStart[p+1]). */
  readonly fwdStart: Int32Array;
  readonly fwdTerm: Int32Array;
  readonly fwdSpan: Int32Array;
  /**
   * Weight (IDF) of product p's name atom at position i (i < MAX_TRACKED_ATOMS), 0 for a brand word:
   * modelWeight[modelStart[p] + i] while i < modelStart[p+1] - modelStart[p]; past its name, 0. Rows as
   * long as the name (about 6 atoms), not 31 slots a product.
   */
  readonly modelStart: Int32Array;
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
  const nameAtomCount = new Uint8Array(n);
  const productAtoms: ProductAtoms[] = [];
  /** Brands repeat across products: each is split into words once. */
  const brandWordsOf = new Map<string, { words: Word[]; atoms: ReadonlySet<string> }>();
  /** The last product that posted each term: one posting per (term, product). */
  const lastPoster: number[] = [];

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
    let brandEntry = brandWordsOf.get(brand);
    if (!brandEntry) {
      const words = toWords(brand);
      brandEntry = { words, atoms: new Set(words.flatMap((w) => w.atoms)) };
      brandWordsOf.set(brand, brandEntry);
    }
    const { words: brandWords, atoms: brandAtoms } = brandEntry;
    const nameAtoms = nameWords.flatMap((w) => w.atoms);
    nameAtomCount[p] = Math.min(nameAtoms.length, SPAN_BASE - 1);
    modelAtoms.push(nameAtoms.map((atom) => (brandAtoms.has(atom) ? '' : atom)));
    productAtoms.push({
      brandKey: product.brand.trim().toLowerCase(),
      nameAtoms: nameAtoms.slice(0, MAX_TRACKED_ATOMS),
      brandAtoms,
    });
    const fields: Field[] = [
      { words: nameWords, offset: 0 },
      { words: brandWords, offset: atomCount(nameWords) },
    ];
    for (const alias of product.aliases ?? []) {
      const words = toWords(alias);
      fields.push({ words, offset: fields.at(-1)!.offset + atomCount(fields.at(-1)!.words) });
    }
    for (const field of fields) {
      forEachSpan(field, (term, start, length) => {
        let t = termIds.get(term);
        if (t === undefined) {
          t = termStrings.length;
          termIds.set(term, t);
          termStrings.push(term);
          lastPoster.push(-1);
        }
        // One posting per (term, product): the first occurrence, i.e. the name before the brand.
        if (lastPoster[t] === p) return;
        lastPoster[t] = p;
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

  // Renumber terms in sorted order so term ids follow trie preorder. The default sort compares code
  // units like `<` does, natively: a comparator called from JS costs several times more on millions.
  const terms = [...termStrings].sort();
  const renumber = new Int32Array(terms.length);
  terms.forEach((term, newId) => {
    renumber[termIds.get(term)!] = newId;
  });
  const trie = new TermTrie(terms);

  const termLength = Uint8Array.from(terms, (term) => term.length);
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
    const f = fwdFill[rawProduct[r]!]!++;
    fwdTerm[f] = renumber[rawTerm[r]!]!;
    fwdSpan[f] = rawSpan[r]!;
  }
  const order = byUncoveredAtoms(rawProduct, rawSpan, rawCount, nameAtomCount);
  for (let o = 0; o < rawCount; o++) {
    const r = order[o]!;
    const at = fill[renumber[rawTerm[r]!]!]!++;
    postProduct[at] = rawProduct[r]!;
    postSpan[at] = rawSpan[r]!;
  }

  const cumPostings = new Float64Array(trie.nodeCount + 1);
  for (let node = 0; node < trie.nodeCount; node++) {
    const t = trie.nodeTerm[node]!;
    cumPostings[node + 1] = cumPostings[node]! + (t >= 0 ? termDf[t]! : 0);
  }

  // Atom weight = IDF of the atom as a term: rare words ("sq5", "thin") matter more than "black".
  const modelStart = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) modelStart[p + 1] = modelStart[p]! + Math.min(modelAtoms[p]!.length, MAX_TRACKED_ATOMS);
  const modelWeight = new Float32Array(modelStart[n]!);
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
      modelWeight[modelStart[p]! + i] = w;
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
    termLength,
    postStart,
    postProduct,
    postSpan,
    cumPostings,
    fwdStart,
    fwdTerm,
    fwdSpan,
    modelStart,
    modelWeight,
    modelWeightTotal,
    accessoryMask: accessoryMasks(productAtoms),
  };
}

/**
 * Raw postings ordered by how many of its product's name atoms each leaves uncovered (a brand or alias
 * span covers none), catalog order among equals: a stable counting sort, linear in the postings.
 */
function byUncoveredAtoms(
  rawProduct: Int32Array,
  rawSpan: Int32Array,
  rawCount: number,
  nameAtomCount: Uint8Array,
): Int32Array {
  const uncovered = new Uint8Array(rawCount);
  const bucketStart = new Int32Array(SPAN_BASE + 1);
  for (let r = 0; r < rawCount; r++) {
    const atoms = nameAtomCount[rawProduct[r]!]!;
    const start = Math.floor(rawSpan[r]! / SPAN_BASE);
    const covered = start < atoms ? Math.min(rawSpan[r]! % SPAN_BASE, atoms - start) : 0;
    uncovered[r] = atoms - covered;
    bucketStart[atoms - covered + 1]!++;
  }
  for (let b = 0; b < SPAN_BASE; b++) bucketStart[b + 1]! += bucketStart[b]!;
  const order = new Int32Array(rawCount);
  for (let r = 0; r < rawCount; r++) order[bucketStart[uncovered[r]!]!++] = r;
  return order;
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
