/**
 * Which name atoms make a product an accessory or variant of another ("bag" of "ProFX16v3 Bag" next to
 * "ProFX16 v3", "stand" of "FP-30X Stand"): nothing is listed by hand, the catalog's own names teach it.
 * Read from atoms the index has already split (normalize.ts runs once per name), and looked up by an
 * order-free hash of the atom set (a sum, so removing a word is a subtraction): trying a product's word
 * subsets allocates nothing until a hash meets another product's, and then the atoms themselves decide.
 */

/** A product as accessory detection reads it. */
export interface ProductAtoms {
  /** The brand as matched between products: trimmed and lower-cased. */
  brandKey: string;
  /** The name's atoms that coverage tracks (catalog-index.ts: MAX_TRACKED_ATOMS, bit i = atom i). */
  nameAtoms: readonly string[];
  /** The brand's own atoms: they name the maker, never an accessory ("Topp Pro"). */
  brandAtoms: ReadonlySet<string>;
}

/** Extension words considered per product, and removed at most at once (accessory phrases are short). */
const MAX_EXTENSION_WORDS = 6;
const MAX_EXTENSION_REMOVED = 3;
/** A word added to this many products' names to name others is an accessory (or variant) word. */
const ACCESSORY_WORD_BASES = 2;
/** log2 of the bits in the filter in front of the hash lookup. */
const HASH_FILTER_BITS = 24;
/** Shorter extension atoms are series letters ("D400" → "d"), not words. */
const MIN_ACCESSORY_WORD = 3;
const LETTERS = /^\p{L}+$/u;

/** Subsets of MAX_EXTENSION_WORDS words (bit i = word i) by size, each list in ascending order. */
const SUBSETS_BY_SIZE: readonly (readonly number[])[] = Array.from({ length: MAX_EXTENSION_REMOVED + 1 }, (_, size) =>
  Array.from({ length: 1 << MAX_EXTENSION_WORDS }, (_, subset) => subset).filter((subset) => {
    let n = 0;
    for (let b = subset; b !== 0; b &= b - 1) n++;
    return subset > 0 && n === size;
  }),
);

/** 32-bit FNV-1a with a final mix: sums of these identify atom sets with rare collisions. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * For each product, the atoms that make it another product of the same brand plus letter words (an
 * accessory or a variant of it): found by removing subsets of its letter words and looking the rest up.
 */
export function extensionMasks(products: readonly ProductAtoms[]): Int32Array {
  const hashes = new Map<string, number>();
  const hash = (text: string): number => {
    let h = hashes.get(text);
    if (h === undefined) {
      h = hashString(text);
      hashes.set(text, h);
    }
    return h;
  };
  const distinctOf = products.map((p) => [...new Set(p.nameAtoms)]);
  // Products by the hash of their brand and atom set: the first one, then a chain through the others.
  const hashOf = new Int32Array(products.length);
  const firstWithHash = new Map<number, number>();
  const nextWithHash = new Int32Array(products.length).fill(-1);
  // A bit per hash value modulo 2^24 (2 MB): most tries miss, and the bit says so without a walk into
  // the Map of a million entries (a cache miss per try).
  const seen = new Int32Array(1 << (HASH_FILTER_BITS - 5));
  for (let p = products.length - 1; p >= 0; p--) {
    let h = hash(products[p]!.brandKey);
    for (const atom of distinctOf[p]!) h = (h + hash(atom)) | 0;
    hashOf[p] = h;
    seen[(h >>> 5) & (seen.length - 1)]! |= 1 << (h & 31);
    nextWithHash[p] = firstWithHash.get(h) ?? -1;
    firstWithHash.set(h, p);
  }
  /** True when some product of `brandKey` has exactly the atoms `distinct` without `removed`. */
  const known = (brandKey: string, distinct: readonly string[], removed: readonly string[], h: number): boolean => {
    for (let q = firstWithHash.get(h) ?? -1; q >= 0; q = nextWithHash[q]!) {
      const atoms = distinctOf[q]!;
      if (
        products[q]!.brandKey === brandKey &&
        atoms.length === distinct.length - removed.length &&
        atoms.every((a) => distinct.includes(a) && !removed.includes(a))
      )
        return true;
    }
    return false;
  };
  const masks = new Int32Array(products.length);
  const wordHash = new Int32Array(MAX_EXTENSION_WORDS);
  products.forEach((product, p) => {
    const distinct = distinctOf[p]!;
    // Names end with what they add ("… Rack Ear Kit"): the last letter words are the candidates.
    const words = distinct.filter((a) => LETTERS.test(a)).slice(-MAX_EXTENSION_WORDS);
    words.forEach((word, i) => {
      wordHash[i] = hash(word);
    });
    const within = 1 << words.length;
    let removed: string[] | undefined;
    // Fewest words removed first: the closest base names the extension ("rack ear kit" is three).
    search: for (let size = 1; size <= MAX_EXTENSION_REMOVED && size < distinct.length; size++) {
      for (const subset of SUBSETS_BY_SIZE[size]!) {
        if (subset >= within) break;
        let h = hashOf[p]!;
        for (let i = 0; i < words.length; i++) if (subset & (1 << i)) h = (h - wordHash[i]!) | 0;
        if ((seen[(h >>> 5) & (seen.length - 1)]! & (1 << (h & 31))) === 0 || !firstWithHash.has(h)) continue;
        const candidate = words.filter((_, i) => subset & (1 << i));
        if (known(product.brandKey, distinct, candidate, h)) {
          removed = candidate;
          break search;
        }
      }
    }
    if (!removed) return;
    product.nameAtoms.forEach((atom, i) => {
      if (removed.includes(atom)) masks[p]! |= 1 << i;
    });
  });
  return masks;
}

/** The words the catalog adds to products' names to name others ("bag", "cover", "stand"), by count. */
function accessoryWords(products: readonly ProductAtoms[], masks: Int32Array): Map<string, number> {
  const counts = new Map<string, number>();
  products.forEach((product, p) => {
    product.nameAtoms.forEach((atom, i) => {
      if (masks[p]! & (1 << i) && atom.length >= MIN_ACCESSORY_WORD) counts.set(atom, (counts.get(atom) ?? 0) + 1);
    });
  });
  for (const [word, count] of counts) if (count < ACCESSORY_WORD_BASES) counts.delete(word);
  return counts;
}

/**
 * Name atoms (bit i = atom i) that make each product an accessory or variant of another: the words by
 * which it extends another product of its brand, and the catalog's accessory words wherever they appear
 * ("Stand" having been added to other products' names). 0 for a product with none.
 */
export function accessoryMasks(products: readonly ProductAtoms[]): Int32Array {
  const masks = extensionMasks(products);
  const words = accessoryWords(products, masks);
  products.forEach((product, p) => {
    product.nameAtoms.forEach((atom, i) => {
      if (words.has(atom) && !product.brandAtoms.has(atom)) masks[p]! |= 1 << i;
    });
  });
  return masks;
}
