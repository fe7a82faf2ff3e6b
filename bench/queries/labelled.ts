/**
 * The labelled query set: realistic things customers type, generated from the real catalog with a
 * seeded PRNG (partial prefixes, typos, missing dashes and spaces, model codes alone, brand omitted or
 * misspelled, words reordered), plus hand-written ones from the issue. A query's label is a product id;
 * any product with the same brand and name is an equally right answer (the catalog has duplicates).
 * Generated queries whose information does not single out one product name are dropped.
 */
import type { Product } from '../../app/core/catalog/product.js';
import { productTerms } from '../../app/core/prediction/catalog-index.js';
import { queryWords, toWords } from '../../app/core/prediction/normalize.js';
import { accessoryPairs, runTogether, shortCodes, siblingNumbers } from './families.js';
import { mulberry32, pick, shuffled } from './random.js';

export interface LabelledQuery {
  text: string;
  expectedId: string;
  kind: string;
  /** Held out of tuning: benchmarks report recall on these; a product is held out with all its queries. */
  heldOut: boolean;
}

/** Query families the customer-typed misses fell into, generated per family from this many products. */
const FAMILY_SAMPLE = 300;
const FAMILY_SEED = 17;

/** One product in four is held out (by a hash of its id, so the split does not move with the sample). */
export function isHeldOut(productId: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < productId.length; i++) hash = Math.imul(hash ^ productId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 4 === 0;
}

/** The queries, with the product each must find. */
export const HAND_WRITTEN: readonly { text: string; expectedId: string }[] = [
  { text: 'akai mpc live 2', expectedId: 'akai_professional_55_mpclive2' },
  { text: 'allen and heath sq5', expectedId: 'allen_heath_40_sq5' },
  { text: 'rolnd spd one kik', expectedId: 'roland_87-spd1k' },
  { text: 'tr8s', expectedId: 'roland_87-tr8s' },
  { text: 'paiste 2002 thin crash 18', expectedId: 'paiste_cymbals_90_1061218' },
  { text: 'mcaster live', expectedId: 'mackie_60_mcasterlive' },
  { text: 'alen heath sq 5', expectedId: 'allen_heath_40_sq5' },
  { text: 'roland tr-8s', expectedId: 'roland_87-tr8s' },
  { text: 'spd-one kick', expectedId: 'roland_87-spd1k' },
  { text: 'akai mpc live ii', expectedId: 'akai_professional_55_mpclive2' },
];

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** A key next to `ch` on a QWERTY keyboard (a finger's slip), or `ch` itself if it is no letter. */
export function adjacentKey(random: () => number, ch: string): string {
  for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
    const c = KEYBOARD_ROWS[r]!.indexOf(ch);
    if (c < 0) continue;
    const options = [
      KEYBOARD_ROWS[r]![c - 1],
      KEYBOARD_ROWS[r]![c + 1],
      KEYBOARD_ROWS[r - 1]?.[c],
      KEYBOARD_ROWS[r + 1]?.[c],
    ];
    return pick(
      random,
      options.filter((o): o is string => o !== undefined),
    );
  }
  return ch;
}

/** One realistic slip of the finger in a word: neighbour key, dropped, swapped or doubled letter. */
function typo(random: () => number, word: string): string {
  const at = random() < 0.1 ? 0 : 1 + Math.floor(random() * (word.length - 1));
  const ch = word[at]!;
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + adjacentKey(random, ch) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return at + 1 < word.length
        ? word.slice(0, at) + word[at + 1] + ch + word.slice(at + 2)
        : word.slice(0, at) + word.slice(at + 1);
    default:
      return word.slice(0, at) + ch + word.slice(at);
  }
}

const CONNECTORS = new Set(['&', 'and', '+', '-', '|']);

/** The name split into what a customer would type for the brand and for the model. */
function splitName(product: Product): { brand: string[]; model: string[] } {
  const brandAtoms = new Set(toWords(product.brand).flatMap((w) => [...w.atoms, w.atoms.join('')]));
  brandAtoms.add(
    toWords(product.brand)
      .flatMap((w) => w.atoms)
      .join(''),
  );
  const words = product.name.split(/\s+/).filter((w) => w.length > 0);
  const isBrand = (word: string): boolean => {
    const atoms = queryWords(word);
    return CONNECTORS.has(word.toLowerCase()) || (atoms.length > 0 && atoms.every((a) => brandAtoms.has(a)));
  };
  const brand = words.filter(isBrand).filter((w) => !CONNECTORS.has(w.toLowerCase()));
  const model = words.filter((w) => !isBrand(w));
  const typedBrand = brand.length > 0 ? brand : [product.brand.split(/\s+/)[0]!];
  return { brand: typedBrand.map((w) => w.toLowerCase()), model: model.map((w) => w.toLowerCase()) };
}

/** Letter-only words long enough to mistype, by index. */
function typoTargets(words: readonly string[]): number[] {
  return words.map((w, i) => (/^[a-z]{4,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
}

interface Variant {
  /** What the query says, before typos: used to decide whether it is ambiguous. */
  clean: string;
  text: string;
  kind: string;
}

function variantsOf(random: () => number, product: Product, vocabulary: ReadonlySet<string>): Variant[] {
  const { brand, model } = splitName(product);
  if (model.length === 0) return [];
  const both = [...brand, ...model];
  const misspell = (words: string[], count: number): string[] | undefined => {
    const targets = shuffled(random, typoTargets(words));
    if (targets.length === 0) return undefined;
    const out = [...words];
    for (let n = 0; n < count; n++) {
      const i = targets[n % targets.length]!;
      for (let attempt = 0; attempt < 5; attempt++) {
        const candidate = typo(random, out[i]!);
        // A typo that spells another real word is a different query, not a typo.
        if (!vocabulary.has(queryWords(candidate).join(''))) {
          out[i] = candidate;
          break;
        }
      }
    }
    return out.join(' ') === words.join(' ') ? undefined : out;
  };
  const code = model.filter((w) => /\d/.test(w) && /[a-z]/.test(w));
  const makers: (() => Variant | undefined)[] = [
    () => ({ clean: both.join(' '), text: both.join(' '), kind: 'full' }),
    () => ({ clean: model.join(' '), text: model.join(' '), kind: 'brand-omitted' }),
    () => (code.length > 0 ? { clean: code.join(' '), text: code.join(' '), kind: 'model-code' } : undefined),
    () => {
      const words = model.map((w) =>
        random() < 0.5 ? w.replace(/[-–.•]/g, '') : w.replace(/[-–.•]/g, ' ').replace(/([a-z])(\d)/g, '$1 $2'),
      );
      const text = [...(random() < 0.5 ? brand : []), ...words].join(' ');
      return text === both.join(' ') ? undefined : { clean: text, text, kind: 'dashes-spaces' };
    },
    () => {
      const words = misspell(both, random() < 0.6 ? 1 : 2);
      return words && { clean: both.join(' '), text: words.join(' '), kind: 'typo' };
    },
    () => {
      const words = misspell(brand, 1);
      return words && { clean: both.join(' '), text: [...words, ...model].join(' '), kind: 'brand-misspelled' };
    },
    () => {
      const full = both.join(' ');
      const from = brand.join(' ').length + 2;
      if (full.length - from < 2) return undefined;
      const cut = from + Math.floor(random() * (full.length - from));
      const text = full.slice(0, cut).trimEnd();
      return { clean: text, text, kind: 'prefix' };
    },
    () => {
      if (model.length < 2) return undefined;
      const text = [...shuffled(random, model), ...(random() < 0.5 ? brand : [])].join(' ');
      return { clean: text, text, kind: 'reordered' };
    },
    () => {
      // Typing on after a slip: a typo earlier in the query, the last word still half-typed.
      const words = misspell(both, 1);
      if (!words || words.length < 2) return undefined;
      const lastWord = words.at(-1)!;
      if (lastWord.length < 4) return undefined;
      const cut = 2 + Math.floor(random() * (lastWord.length - 2));
      const clean = [...both.slice(0, -1), both.at(-1)!.slice(0, cut)].join(' ');
      return { clean, text: [...words.slice(0, -1), lastWord.slice(0, cut)].join(' '), kind: 'typo-then-prefix' };
    },
    () => {
      // A slip inside a model code's letters ("spd-one" → "sdp-one"); its digits stay as typed.
      const at = model.findIndex((w) => /\d/.test(w) && /[a-z]{3,}/.test(w));
      if (at < 0) return undefined;
      const letters = /[a-z]{3,}/.exec(model[at]!)!;
      const slipped = typo(random, letters[0]);
      if (slipped === letters[0]) return undefined;
      const words = [...model];
      words[at] = words[at]!.slice(0, letters.index) + slipped + words[at]!.slice(letters.index + letters[0].length);
      return {
        clean: model.join(' '),
        text: [...(random() < 0.5 ? brand : []), ...words].join(' '),
        kind: 'code-typo',
      };
    },
    () => {
      // As printed, in its own capitals, with stray spaces.
      const text = `  ${product.name.replace(/ /g, () => (random() < 0.3 ? '  ' : ' '))} `;
      return { clean: product.name.toLowerCase(), text, kind: 'as-printed' };
    },
  ];
  const chosen = shuffled(random, makers).slice(0, 3);
  return chosen.map((make) => make()).filter((v): v is Variant => v !== undefined);
}

interface CatalogFacts {
  groupKey: (p: Product) => string;
  terms: Set<string>[];
  modelAtoms: string[][];
}

/** Does product i hold every query word (the last one as a prefix)? */
function holds(facts: CatalogFacts, i: number, words: readonly string[]): boolean {
  const terms = facts.terms[i]!;
  return words.every((word, w) => {
    if (terms.has(word)) return true;
    if (w !== words.length - 1) return false;
    for (const term of terms) if (term.startsWith(word)) return true;
    return false;
  });
}

/** Does the query mention every model atom of product i? */
function coversModel(facts: CatalogFacts, i: number, words: readonly string[]): boolean {
  return facts.modelAtoms[i]!.every((atom) => words.some((word) => word.includes(atom)));
}

/** True when the clean query's words do not single out the expected product's name. */
function ambiguous(products: readonly Product[], facts: CatalogFacts, expected: number, clean: string): boolean {
  const words = queryWords(clean);
  if (words.length === 0) return true;
  const expectedKey = facts.groupKey(products[expected]!);
  const rivals: number[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < products.length; i++) {
    const key = facts.groupKey(products[i]!);
    if (key === expectedKey || seen.has(key) || !holds(facts, i, words)) continue;
    seen.add(key);
    rivals.push(i);
  }
  if (rivals.length === 0) return !holds(facts, expected, words);
  // Others hold the words too: still fine when the query names exactly the expected model and no rival's.
  return !coversModel(facts, expected, words) || rivals.some((i) => coversModel(facts, i, words));
}

export function sameAnswer(a: Pick<Product, 'brand' | 'name'>, b: Pick<Product, 'brand' | 'name'>): boolean {
  return (
    a.brand.trim().toLowerCase() === b.brand.trim().toLowerCase() &&
    a.name.trim().toLowerCase() === b.name.trim().toLowerCase()
  );
}

/** `sample` products' worth of generated queries plus the hand-written ones; same seed, same set. */
export function labelledQueries(products: readonly Product[], sample = 500, seed = 2): LabelledQuery[] {
  const random = mulberry32(seed);
  const facts: CatalogFacts = {
    groupKey: (p) => `${p.brand.trim().toLowerCase()}\u0000${p.name.trim().toLowerCase()}`,
    terms: products.map((p) => productTerms(p)),
    modelAtoms: products.map((p) => {
      const brandAtoms = new Set(toWords(p.brand).flatMap((w) => w.atoms));
      return toWords(p.name)
        .flatMap((w) => w.atoms)
        .filter((a) => !brandAtoms.has(a));
    }),
  };
  const vocabulary = new Set(facts.terms.flatMap((t) => [...t]));
  const queries: LabelledQuery[] = [];
  const byId = new Map(products.map((p, i) => [p.id, i]));
  for (const hand of HAND_WRITTEN) {
    if (byId.has(hand.expectedId)) queries.push({ ...hand, kind: 'hand-written', heldOut: false });
  }
  const picked = shuffled(
    random,
    products.map((_, i) => i),
  ).slice(0, sample);
  for (const i of picked) {
    const product = products[i]!;
    for (const variant of variantsOf(random, product, vocabulary)) {
      if (ambiguous(products, facts, i, variant.clean)) continue;
      queries.push({ text: variant.text, expectedId: product.id, kind: variant.kind, heldOut: isHeldOut(product.id) });
    }
  }
  const familyRandom = mulberry32(seed * 1_000 + FAMILY_SEED);
  const families = [runTogether, accessoryPairs, siblingNumbers, shortCodes].flatMap((family) =>
    family(familyRandom, products, FAMILY_SAMPLE),
  );
  const seen = new Set(queries.map((q) => `${q.text}\u0000${q.expectedId}`));
  for (const query of families) {
    const product = products[query.product]!;
    const key = `${query.text}\u0000${product.id}`;
    // Judged on its atoms ("profx16v3" → "profx 16 v 3"): a product printing them spaced is a rival too.
    const clean = toWords(query.clean)
      .flatMap((w) => w.atoms)
      .join(' ');
    if (seen.has(key) || ambiguous(products, facts, query.product, clean)) continue;
    seen.add(key);
    queries.push({ text: query.text, expectedId: product.id, kind: query.kind, heldOut: isHeldOut(product.id) });
  }
  return queries;
}
