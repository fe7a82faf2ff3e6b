/**
 * `npm run catalog:report [file]`: what the import's clean-up does to a catalog file (default: the
 * bundled one), without a database: brands renamed (with counts), names fixed, records dropped (invalid
 * or a repeated id, as the import rejects them), and the variant families merged into one prediction row.
 */
import { readDemoManifest } from '../app/core/manuals/demo/manifest.js';
import { cleanRecord, groupFamilies } from '../app/core/catalog/clean.js';
import { BUNDLED_CATALOG, readCatalogFile } from '../app/core/catalog/import.js';
import { parseProductRecord, type Product } from '../app/core/catalog/product.js';

const source = process.argv[2] ?? BUNDLED_CATALOG;
const demo = new Set((await readDemoManifest()).manuals.map((m) => m.productId));
const products: Product[] = [];
const brands = new Map<string, number>();
const names: { id: string; from: string; to: string }[] = [];
const dropped: { index: number; reason: string }[] = [];
const ids = new Set<string>();
let index = 0;
for await (const record of readCatalogFile(source)) {
  const parsed = parseProductRecord(record);
  if (!parsed.success) dropped.push({ index, reason: parsed.error.issues[0]?.message ?? 'invalid' });
  else if (ids.has(parsed.data.id)) dropped.push({ index, reason: `duplicate id ${parsed.data.id}` });
  else {
    ids.add(parsed.data.id);
    const { product, renamed } = cleanRecord(parsed.data);
    for (const change of renamed) {
      if (change.field === 'brand') {
        const key = `${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`;
        brands.set(key, (brands.get(key) ?? 0) + 1);
      } else names.push({ id: product.id, from: change.from, to: change.to });
    }
    products.push(product);
  }
  index++;
}
const { report } = groupFamilies(products, (p) => p.manualUrl !== undefined || demo.has(p.id));
console.log(
  JSON.stringify(
    {
      source,
      records: index,
      kept: products.length,
      dropped,
      brandsRenamed: Object.fromEntries(brands),
      distinctBrands: new Set(products.map((p) => p.brand)).size,
      namesFixed: names,
      families: report.families,
      merged: report.merged.map((m) => ({
        family: `${m.brand} | ${m.name}`,
        variants: m.variants.map((v) => `${v.productId} (${v.label})`),
      })),
    },
    null,
    2,
  ),
);
