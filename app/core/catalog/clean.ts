/**
 * The catalog cleaned on import, by rules that are data (rules/catalog-rules.json), not code per brand:
 *
 * - brands: trimmed, one display name per brand ("Roland Commercial" and "Roland Blueprint" are
 *   "Roland"), the exported spellings and listed aliases kept as the product's aliases for matching;
 * - names: export artefacts mended ("+Mackie ProFX10v3" is the ProFX10v3+, "GT-1000Guitar Effects");
 * - families: rows with the same brand and name (colour, size, pack variants) are one family, shown
 *   as one row; each variant keeps its id (sessions, threads, manuals are keyed by it) and gets a label
 *   from its id's distinguishing suffix.
 *
 * `cleanRecord` is per record (the streaming import applies it); `groupFamilies` needs the whole catalog
 * (the in-memory view builds it). Both report what they changed.
 */
import rulesFile from './rules/catalog-rules.json' with { type: 'json' };
import type { Product } from './product.js';

export interface CatalogRules {
  brands: { from: string[]; display: string; aliases: string[] }[];
  nameFixes: { why: string; pattern: string; replace: string }[];
  variantCodes: Record<string, string>;
}

/** A brand as compared: lower case, punctuation as spaces, single spaces, trimmed. */
export function brandKey(brand: string): string {
  return brand
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface CompiledRules {
  brand(raw: string): { display: string; aliases: readonly string[] };
  name(raw: string): string;
  /** Every way a display brand is written in the rules (its aliases and exported spellings). */
  aliasesOf(display: string): string[];
  variantLabel(code: string): string;
}

export function compileRules(rules: CatalogRules): CompiledRules {
  const byKey = new Map<string, { display: string; aliases: string[] }>();
  const byDisplay = new Map<string, string[]>();
  for (const rule of rules.brands) {
    byDisplay.set(rule.display, [...rule.aliases, ...rule.from]);
    for (const from of rule.from) {
      const key = brandKey(from);
      if (byKey.has(key)) throw new Error(`catalog rules: brand "${from}" is listed twice`);
      byKey.set(key, { display: rule.display, aliases: rule.aliases });
    }
  }
  const fixes = rules.nameFixes.map((fix) => ({ pattern: new RegExp(fix.pattern, 'gu'), replace: fix.replace }));
  const codes = new Map(Object.entries(rules.variantCodes));
  return {
    brand(raw) {
      const trimmed = raw.trim().replace(/\s+/g, ' ');
      const rule = byKey.get(brandKey(trimmed));
      if (!rule) return { display: trimmed, aliases: [] };
      // The exported spelling stays matchable ("roland commercial"), beside the listed aliases.
      const aliases = [...rule.aliases, ...(brandKey(trimmed) === brandKey(rule.display) ? [] : [trimmed])];
      return { display: rule.display, aliases };
    },
    name(raw) {
      let name = raw;
      for (const fix of fixes) name = name.replace(fix.pattern, fix.replace);
      name = name.trim();
      // A rule must never empty a name: the raw one is better than none.
      return name === '' ? raw.trim() : name;
    },
    aliasesOf(display) {
      return byDisplay.get(display) ?? [];
    },
    variantLabel(code) {
      return codes.get(code.toLowerCase()) ?? code.toUpperCase();
    },
  };
}

export const CATALOG_RULES = compileRules(rulesFile as CatalogRules);

export interface Renamed {
  field: 'brand' | 'name';
  from: string;
  to: string;
}

/** One record cleaned: display brand and name, the raw brand kept as an alias. */
export function cleanRecord(
  product: Product,
  rules: CompiledRules = CATALOG_RULES,
): { product: Product; renamed: Renamed[] } {
  const brand = rules.brand(product.brand);
  const name = rules.name(product.name);
  const renamed: Renamed[] = [];
  if (brand.display !== product.brand) renamed.push({ field: 'brand', from: product.brand, to: brand.display });
  if (name !== product.name) renamed.push({ field: 'name', from: product.name, to: name });
  if (renamed.length === 0) return { product, renamed };
  const aliases = [...product.aliases];
  for (const alias of brand.aliases) if (!aliases.includes(alias)) aliases.push(alias);
  return { product: { ...product, brand: brand.display, name, aliases }, renamed };
}

export interface Variant {
  productId: string;
  /** What sets it apart from its siblings ("Black", "White", "18"): from its id's distinguishing suffix. */
  label: string;
}

export interface Family {
  /** Stable whatever the manuals: the lowest product id of the family. */
  familyId: string;
  /** The row's product: the first variant with a manual, else the first by id. */
  productId: string;
  brand: string;
  name: string;
  /** All variants, the row's product first; one entry for a product without siblings. */
  variants: Variant[];
}

export interface MergeReport {
  families: number;
  products: number;
  merged: { brand: string; name: string; variants: Variant[] }[];
}

/** Family key: brand and name as compared (case, spacing and punctuation aside). */
export function familyKey(product: Pick<Product, 'brand' | 'name'>): string {
  return `${brandKey(product.brand)}\u0000${product.name.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

/**
 * The variants' distinguishing suffixes: what follows the ids' common prefix, backed off to a separator
 * when the split falls inside a run of letters ("strap_b|l" → "bl", "br"), and to two digits of a number.
 */
function distinguishingSuffixes(ids: readonly string[]): string[] {
  let prefix = ids[0]!;
  for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const letter = /\p{L}/u;
  let cut = prefix.length;
  const splitsLetters = (at: number) =>
    at > 0 && letter.test(prefix[at - 1]!) && ids.some((id) => id.length > at && letter.test(id[at]!));
  while (splitsLetters(cut)) cut--;
  // A number split after its first digit ("1041216", "1041218" → "6", "8") keeps two: "16", "18".
  const digit = /\p{N}/u;
  if (
    cut > 0 &&
    digit.test(prefix[cut - 1]!) &&
    ids.some((id) => digit.test(id[cut] ?? '') && !digit.test(id[cut + 1] ?? ''))
  )
    cut--;
  return ids.map((id) => id.slice(cut).replace(/^[_\-.]+/, ''));
}

/** Groups a cleaned catalog into families, in catalog order of their first member. */
export function groupFamilies(
  products: readonly Product[],
  hasManual: (product: Product) => boolean,
  rules: CompiledRules = CATALOG_RULES,
): { families: Family[]; familyOf: Map<string, Family>; report: MergeReport } {
  const members = new Map<string, Product[]>();
  for (const product of products) {
    const key = familyKey(product);
    const list = members.get(key);
    if (list) list.push(product);
    else members.set(key, [product]);
  }
  const families: Family[] = [];
  const familyOf = new Map<string, Family>();
  const merged: MergeReport['merged'] = [];
  for (const list of members.values()) {
    const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const labels = sorted.length > 1 ? distinguishingSuffixes(sorted.map((p) => p.id)) : [''];
    const named = labels.map((code) => rules.variantLabel(code));
    // Two codes read as one colour ("b", "bk"): the code tells them apart.
    const variants = sorted.map((p, i) => ({
      productId: p.id,
      label:
        named.indexOf(named[i]!) === named.lastIndexOf(named[i]!)
          ? named[i]!
          : `${named[i]} (${labels[i]!.toUpperCase()})`,
    }));
    const lead = sorted.findIndex(hasManual);
    if (lead > 0) variants.unshift(...variants.splice(lead, 1));
    const first = sorted[0]!;
    const family: Family = {
      familyId: first.id,
      productId: variants[0]!.productId,
      brand: first.brand,
      name: first.name,
      variants,
    };
    families.push(family);
    for (const p of sorted) familyOf.set(p.id, family);
    if (sorted.length > 1) merged.push({ brand: family.brand, name: family.name, variants });
  }
  return { families, familyOf, report: { families: families.length, products: products.length, merged } };
}
