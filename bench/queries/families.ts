/**
 * Query families the customer-typed misses fell into, generated from the catalog (never listed by hand):
 * words run together ("keystation88mk3"), a product next to its accessories ("profx16v3" vs its bag),
 * siblings told apart by a number ("mp240" vs "mp220", "1" typed for 10"), and short codes with a
 * letter off ("dc-30" for DCS-30). Each query says what a customer would type and which product it means.
 */
import type { Product } from '../../app/core/catalog/product.js';
import { toWords } from '../../app/core/prediction/normalize.js';
import { pick, shuffled } from './random.js';

export interface FamilyQuery {
  /** The query as typed. */
  text: string;
  /** The same query with its words spaced and spelled right: what decides whether it is ambiguous. */
  clean: string;
  product: number;
  kind: string;
}

const SEPARATORS = /[-–.•/:|]/g;

/** A product's name as brand words and model words, lowercased (brand words are the brand's atoms). */
export function modelWords(product: Product): { brand: string[]; model: string[] } {
  const brandAtoms = new Set(toWords(product.brand).flatMap((w) => w.atoms));
  const words = product.name
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0 && /[\p{L}\p{N}]/u.test(w));
  const isBrand = (word: string) => {
    const atoms = toWords(word).flatMap((w) => w.atoms);
    return atoms.length > 0 && atoms.every((a) => brandAtoms.has(a));
  };
  const brand = words.filter(isBrand);
  return {
    brand: brand.length > 0 ? brand : [product.brand.trim().split(/\s+/)[0]!.toLowerCase()],
    model: words.filter((w) => !isBrand(w)),
  };
}

const atomsOf = (name: string): string[] => toWords(name).flatMap((w) => w.atoms);
const brandKey = (p: Product): string => p.brand.trim().toLowerCase();

/** Adjacent model words typed without the space between them (and without their dashes). */
export function runTogether(random: () => number, products: readonly Product[], sample: number): FamilyQuery[] {
  const out: FamilyQuery[] = [];
  for (const p of shuffled(
    random,
    products.map((_, i) => i),
  )) {
    if (out.length >= sample) break;
    const { brand, model } = modelWords(products[p]!);
    if (model.length < 2) continue;
    const at = Math.floor(random() * (model.length - 1));
    const span = at + 2 < model.length && random() < 0.3 ? 3 : 2;
    const joined = model
      .slice(at, at + span)
      .map((w) => w.replace(SEPARATORS, ''))
      .join('');
    const words = [...model.slice(0, at), joined, ...model.slice(at + span)];
    const withBrand = random() < 0.5;
    out.push({
      text: [...(withBrand ? brand : []), ...words].join(' '),
      clean: [...(withBrand ? brand : []), ...model].join(' '),
      product: p,
      kind: 'run-together',
    });
  }
  return out;
}

/**
 * Pairs of one brand where one product's name is the other's plus letter words (its bag, dust cover,
 * rack ear kit, or a variant): the base's own name must find the base, the name plus one of the added
 * words must find the extended product.
 */
export function accessoryPairs(random: () => number, products: readonly Product[], sample: number): FamilyQuery[] {
  const byBrand = new Map<string, number[]>();
  products.forEach((p, i) => {
    byBrand.set(brandKey(p), [...(byBrand.get(brandKey(p)) ?? []), i]);
  });
  const sets = products.map((p) => new Set(atomsOf(p.name)));
  const out: FamilyQuery[] = [];
  const pairs: [number, number, string[]][] = [];
  for (const members of byBrand.values()) {
    for (const a of members) {
      for (const b of members) {
        const A = sets[a]!;
        const B = sets[b]!;
        if (B.size <= A.size || ![...A].every((x) => B.has(x))) continue;
        const added = [...B].filter((x) => !A.has(x));
        const words = added.filter((x) => x.length >= 3);
        if (words.length > 0 && added.every((x) => /^\p{L}+$/u.test(x))) pairs.push([a, b, words]);
      }
    }
  }
  for (const [a, b, added] of shuffled(random, pairs).slice(0, sample)) {
    const { brand, model } = modelWords(products[a]!);
    if (model.length === 0) continue;
    const withBrand = random() < 0.5 ? brand : [];
    const base = [...withBrand, ...model];
    // Short model names are often typed in one go ("profx16v3").
    const joined = model.map((w) => w.replace(SEPARATORS, '')).join('');
    const typed = model.length <= 3 && joined.length <= 12 && random() < 0.4 ? [...withBrand, joined] : base;
    out.push({ text: typed.join(' '), clean: base.join(' '), product: a, kind: 'accessory-vs-base' });
    const word = pick(random, added);
    out.push({
      text: [...typed, word].join(' '),
      clean: [...base, word].join(' '),
      product: b,
      kind: 'accessory-vs-base',
    });
  }
  return out;
}

/**
 * Products of one brand whose names differ only in one number (sizes, models): the number typed exactly
 * must find its own product; a number typed part-way finds the one sibling it is the start of.
 */
export function siblingNumbers(random: () => number, products: readonly Product[], sample: number): FamilyQuery[] {
  const families = new Map<string, { product: number; number: string }[]>();
  products.forEach((p, i) => {
    const atoms = atomsOf(p.name);
    atoms.forEach((atom, k) => {
      if (!/^\d+$/.test(atom)) return;
      const key = `${brandKey(p)}\u0000${[...atoms.slice(0, k), '#', ...atoms.slice(k + 1)].sort().join(' ')}`;
      families.set(key, [...(families.get(key) ?? []), { product: i, number: atom }]);
    });
  });
  const out: FamilyQuery[] = [];
  const groups = shuffled(
    random,
    [...families.values()].filter((members) => new Set(members.map((m) => m.number)).size > 1),
  );
  for (const members of groups) {
    if (out.length >= sample) break;
    const member = pick(random, members);
    const { brand, model } = modelWords(products[member.product]!);
    const words = [...(random() < 0.5 ? brand : []), ...model];
    out.push({ text: words.join(' '), clean: words.join(' '), product: member.product, kind: 'sibling-number' });
    // The start of the number, when no sibling's number starts the same way.
    // Only a number standing as a word of its own (a size: 14"), not one inside a code.
    const at = words.findIndex((w) => atomsOf(w).join(' ') === member.number);
    const numbers = members.map((m) => m.number);
    for (let cut = 1; at >= 0 && cut < member.number.length; cut++) {
      const start = member.number.slice(0, cut);
      if (numbers.filter((n) => n.startsWith(start) && n !== member.number).length > 0) continue;
      const partial = words.map((w, i) => (i === at ? start : w));
      out.push({ text: partial.join(' '), clean: words.join(' '), product: member.product, kind: 'sibling-number' });
      break;
    }
  }
  return out;
}

const CODE = /^(\p{L}{2,4})[-\s]?(\d{1,4})$/u;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/**
 * Short model codes (two to four letters and a number: DCS-30, TD-17) typed with one letter dropped,
 * swapped or wrong, the number as printed; kept only where no other code of the catalog with the same
 * number is as close to what was typed.
 */
export function shortCodes(random: () => number, products: readonly Product[], sample: number): FamilyQuery[] {
  const codes: { product: number; letters: string; digits: string; word: string }[] = [];
  // Every letter run next to a number, in any name ("R.A.M 1000", "P-20HD"): what a typed code may mean.
  const printed: { product: number; letters: string; digits: string }[] = [];
  products.forEach((p, i) => {
    for (const word of p.name.toLowerCase().split(/\s+/)) {
      const match = CODE.exec(word);
      if (match) codes.push({ product: i, letters: match[1]!, digits: match[2]!, word });
    }
    const atoms = atomsOf(p.name);
    atoms.forEach((atom, k) => {
      if (!/^\d+$/.test(atom)) return;
      for (const next of [atoms[k - 1], atoms[k + 1]]) {
        if (next && !/\d/.test(next)) printed.push({ product: i, letters: next, digits: atom });
      }
    });
  });
  const nameOf = (i: number) => products[i]!.name.trim().toLowerCase();
  const out: FamilyQuery[] = [];
  for (const code of shuffled(random, codes)) {
    if (out.length >= sample) break;
    const { letters, digits } = code;
    const at = Math.floor(random() * letters.length);
    const slips = [
      letters.length >= 3 ? letters.slice(0, at) + letters.slice(at + 1) : undefined,
      at + 1 < letters.length
        ? letters.slice(0, at) + letters[at + 1] + letters[at] + letters.slice(at + 2)
        : undefined,
    ].filter((s): s is string => s !== undefined && s !== letters);
    if (slips.length === 0) continue;
    const typed = pick(random, slips);
    // A rival: another product printing letters as close to what was typed next to the same number (or
    // a longer one starting with it: the last word may still be being typed).
    const rivals = printed.filter(
      (c) =>
        c.digits.startsWith(digits) &&
        nameOf(c.product) !== nameOf(code.product) &&
        editDistance(typed, c.letters) <= editDistance(typed, letters),
    );
    if (rivals.length > 0) continue;
    const text = random() < 0.5 ? `${typed}-${digits}` : `${typed}${digits}`;
    out.push({ text, clean: code.word, product: code.product, kind: 'short-code' });
  }
  return out;
}
