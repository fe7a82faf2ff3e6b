/**
 * Catalogs for the benchmarks and tests: the bundled real one, and a synthetic one of any size grown
 * from the real catalog's vocabulary with a seeded PRNG (same seed, same catalog).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProductRecord, type Product } from '../../app/core/catalog/product.js';
import { mulberry32, pick } from './random.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The app's bundled catalog, else the shared original; every record validated like the importer does. */
export function loadBundledCatalog(): Product[] {
  const bundled = join(root, 'app', 'core', 'catalog', 'products.json');
  const path = existsSync(bundled) ? bundled : join(root, '..', 'shared', 'catalog', 'products.json');
  const records: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(records)) throw new Error(`${path}: expected a JSON array of products`);
  return records.map((record, i) => {
    const parsed = ProductRecord.safeParse(record);
    if (!parsed.success) throw new Error(`${path}: record ${i}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/**
 * `size` products: the real ones first, then variants of random real products with their digits
 * re-rolled, a descriptor borrowed from another product, and sometimes a series letter, the way real
 * catalogs grow (TD-17 → TD-27, "Black" → "Silver").
 */
export function syntheticCatalog(real: readonly Product[], size: number, seed = 100_000): Product[] {
  const random = mulberry32(seed);
  const descriptors = [...new Set(real.flatMap((p) => p.name.split(/\s+/)).filter((w) => /^[A-Za-z]{4,}$/.test(w)))];
  const products: Product[] = real.slice(0, size);
  for (let i = products.length; i < size; i++) {
    const template = pick(random, real);
    let name = template.name.replace(/\d+/g, (digits) => {
      let out = String(1 + Math.floor(random() * 9));
      for (let d = 1; d < digits.length; d++) out += String(Math.floor(random() * 10));
      return out;
    });
    if (random() < 0.5) name += ` ${pick(random, descriptors)}`;
    if (random() < 0.3) name += ` ${String.fromCharCode(65 + Math.floor(random() * 26))}${Math.floor(random() * 100)}`;
    products.push({ ...template, id: `synthetic_${i}`, name, aliases: [] });
  }
  return products;
}
