/**
 * Catalog import: a catalog file (a JSON array of product records) into Postgres. Bad records are
 * reported with their position and reason while the good ones still load; importing the same file
 * twice changes nothing. Products missing from the file are retired, not deleted.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ProductRecord, type Product } from './product.js';
import type { Db, Queryable } from '../storage/db.js';

export const BUNDLED_CATALOG = fileURLToPath(new URL('./products.json', import.meta.url));

export interface Rejection {
  index: number;
  id?: string;
  reason: string;
}

export interface ParsedCatalog {
  products: Product[];
  rejected: Rejection[];
}

export interface ImportReport {
  source: string;
  total: number;
  imported: number;
  changed: number;
  retired: number;
  rejected: Rejection[];
}

export class CatalogFileError extends Error {
  constructor(source: string, reason: string) {
    super(`catalog ${source}: ${reason}`);
    this.name = 'CatalogFileError';
  }
}

export function parseCatalog(source: string, text: string): ParsedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogFileError(source, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new CatalogFileError(source, 'expected a JSON array of product records');
  const products: Product[] = [];
  const rejected: Rejection[] = [];
  const firstSeen = new Map<string, number>();
  data.forEach((record: unknown, index) => {
    const parsed = ProductRecord.safeParse(record);
    const rawId =
      typeof (record as { id?: unknown } | null)?.id === 'string' ? (record as { id: string }).id : undefined;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      rejected.push({
        index,
        ...(rawId ? { id: rawId } : {}),
        reason: `${field}${issue?.message ?? 'invalid record'}`,
      });
      return;
    }
    const earlier = firstSeen.get(parsed.data.id);
    if (earlier !== undefined) {
      rejected.push({ index, id: parsed.data.id, reason: `duplicate id, first seen at index ${earlier}` });
      return;
    }
    firstSeen.set(parsed.data.id, index);
    products.push(parsed.data);
  });
  return { products, rejected };
}

export async function readCatalogFile(path: string): Promise<ParsedCatalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CatalogFileError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseCatalog(path, text);
}

const IMPORT_LOCK_KEY = 7_240_132;

export async function importCatalog(db: Db, source: string, parsed: ParsedCatalog): Promise<ImportReport> {
  const { products, rejected } = parsed;
  // A file whose every record is bad must not retire the whole live catalog.
  if (products.length === 0)
    throw new CatalogFileError(source, `no valid product records (${rejected.length} rejected)`);
  const rows = products.map((p) => ({
    id: p.id,
    brand: p.brand,
    name: p.name,
    category: p.category,
    aliases: p.aliases,
    manual_url: p.manualUrl ?? null,
    image_url: p.imageUrl ?? null,
  }));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
    const changed = await tx.query<{ id: string }>(
      `INSERT INTO products AS p (id, brand, name, category, aliases, manual_url, image_url)
         SELECT id, brand, name, category, aliases, manual_url, image_url
           FROM jsonb_to_recordset($1::jsonb)
             AS r(id text, brand text, name text, category text, aliases jsonb, manual_url text, image_url text)
       ON CONFLICT (id) DO UPDATE SET
         brand = excluded.brand, name = excluded.name, category = excluded.category, aliases = excluded.aliases,
         manual_url = excluded.manual_url, image_url = excluded.image_url, retired_at = NULL, updated_at = now()
       WHERE (p.brand, p.name, p.category, p.aliases, p.manual_url, p.image_url, p.retired_at)
             IS DISTINCT FROM (excluded.brand, excluded.name, excluded.category, excluded.aliases,
                               excluded.manual_url, excluded.image_url, NULL::timestamptz)
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    const retired = await tx.query<{ id: string }>(
      `UPDATE products SET retired_at = now(), updated_at = now()
        WHERE retired_at IS NULL AND NOT (id = ANY($1::text[])) RETURNING id`,
      [products.map((p) => p.id)],
    );
    const report: ImportReport = {
      source,
      total: products.length + rejected.length,
      imported: products.length,
      changed: changed.rows.length,
      retired: retired.rows.length,
      rejected,
    };
    await tx.query(
      'INSERT INTO catalog_imports (source, imported, changed, retired, rejected) VALUES ($1, $2, $3, $4, $5)',
      [source, report.imported, report.changed, report.retired, rejected.length],
    );
    return report;
  });
}

interface ProductRow {
  id: string;
  brand: string;
  name: string;
  category: string;
  aliases: string[];
  manual_url: string | null;
  image_url: string | null;
}

export async function loadActiveProducts(db: Queryable): Promise<Product[]> {
  const { rows } = await db.query<ProductRow>(
    'SELECT id, brand, name, category, aliases, manual_url, image_url FROM products WHERE retired_at IS NULL ORDER BY id',
  );
  return rows.map((r) => ({
    id: r.id,
    brand: r.brand,
    name: r.name,
    category: r.category,
    aliases: r.aliases,
    ...(r.manual_url ? { manualUrl: r.manual_url } : {}),
    ...(r.image_url ? { imageUrl: r.image_url } : {}),
  }));
}

/** A number that grows whenever an import changed what prediction should see. */
export async function catalogVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: string | null }>(
    'SELECT max(id)::text AS version FROM catalog_imports WHERE changed > 0 OR retired > 0',
  );
  return Number(rows[0]?.version ?? 0);
}
