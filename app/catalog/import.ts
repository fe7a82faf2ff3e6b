/**
 * Catalog import: a catalog file (a JSON array of product records) into Postgres. Bad records are
 * reported with their position and reason while the good ones still load; importing the same file
 * twice changes nothing. Products missing from the file are retired, not deleted.
 *
 * The file is streamed (json-array.ts) and written in batches inside one transaction, so memory stays
 * bounded whatever the catalog's size: neither the file, nor its records, nor the set of ids seen is
 * held in the process (ids go to a temporary table, which also finds duplicates and drives retiring).
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanRecord, type Renamed } from './clean.js';
import { JsonArrayError, jsonArrayElements } from './json-array.js';
import { ProductRecord, type Product } from './product.js';
import type { Db, Queryable } from '../storage/db.js';

export const BUNDLED_CATALOG = fileURLToPath(new URL('./products.json', import.meta.url));

export interface Rejection {
  index: number;
  id?: string;
  reason: string;
}

export interface ImportReport {
  source: string;
  total: number;
  imported: number;
  changed: number;
  retired: number;
  /** How many records were rejected; `rejected` lists the first REJECTIONS_KEPT of them. */
  rejectedCount: number;
  rejected: Rejection[];
  /**
   * Brand and name clean-ups (app/catalog/rules/catalog-rules.json): records changed, and each distinct
   * change once with how many records it applied to (the first REJECTIONS_KEPT distinct changes).
   */
  renamedCount: number;
  renamed: (Renamed & { count: number })[];
}

/** Records in file order, as parsed JSON values (not yet validated). */
export type CatalogRecords = Iterable<unknown> | AsyncIterable<unknown>;

export class CatalogFileError extends Error {
  constructor(source: string, reason: string) {
    super(`catalog ${source}: ${reason}`);
    this.name = 'CatalogFileError';
  }
}

export const IMPORT_BATCH = 2_000;
const REJECTIONS_KEPT = 1_000;
const IMPORT_LOCK_KEY = 7_240_132;

/** A catalog already in memory (small files, tests): the same records a file stream would give. */
export function parseCatalog(source: string, text: string): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogFileError(source, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new CatalogFileError(source, 'expected a JSON array of product records');
  return data;
}

/** Streams the records of a catalog file, one at a time. */
export async function* readCatalogFile(path: string): AsyncGenerator<unknown> {
  const file = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    yield* jsonArrayElements(file);
  } catch (error) {
    if (error instanceof JsonArrayError)
      throw new CatalogFileError(
        path,
        error.notArray ? 'expected a JSON array of product records' : `not valid JSON (${error.message})`,
      );
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new CatalogFileError(path, `cannot be read (${code})`);
    throw error;
  } finally {
    file.destroy();
  }
}

function rejectionOf(index: number, record: unknown, reason: string): Rejection {
  const rawId = (record as { id?: unknown } | null)?.id;
  // The id is echoed into logs: only when it is itself printable.
  const id = typeof rawId === 'string' && ProductRecord.shape.id.safeParse(rawId).success ? rawId : undefined;
  return { index, ...(id ? { id } : {}), reason };
}

type Indexed = { index: number; product: Product };

export async function importCatalog(db: Db, source: string, records: CatalogRecords): Promise<ImportReport> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
    await tx.query('CREATE TEMP TABLE catalog_import_ids (id text PRIMARY KEY, idx integer NOT NULL) ON COMMIT DROP');
    const rejected: Rejection[] = [];
    let rejectedCount = 0;
    const reject = (rejection: Rejection) => {
      rejectedCount += 1;
      if (rejected.length < REJECTIONS_KEPT) rejected.push(rejection);
    };
    let total = 0;
    let imported = 0;
    let changed = 0;
    let renamedCount = 0;
    const renamed = new Map<string, Renamed & { count: number }>();
    const noteRenames = (changes: readonly Renamed[]) => {
      if (changes.length > 0) renamedCount += 1;
      for (const change of changes) {
        const key = `${change.field}\u0000${change.from}\u0000${change.to}`;
        const seen = renamed.get(key);
        if (seen) seen.count += 1;
        else if (renamed.size < REJECTIONS_KEPT) renamed.set(key, { ...change, count: 1 });
      }
    };

    const writeBatch = async (batch: Indexed[]) => {
      // The temporary table keeps the first index of every id: a later record with the same id is a duplicate.
      const fresh = await tx.query<{ idx: number }>(
        `INSERT INTO catalog_import_ids (id, idx)
           SELECT id, idx FROM jsonb_to_recordset($1::jsonb) AS r(id text, idx integer) ORDER BY idx
         ON CONFLICT (id) DO NOTHING RETURNING idx`,
        [JSON.stringify(batch.map((b) => ({ id: b.product.id, idx: b.index })))],
      );
      const accepted = new Set(fresh.rows.map((r) => r.idx));
      const duplicates = batch.filter((b) => !accepted.has(b.index));
      if (duplicates.length > 0) {
        const first = await tx.query<{ id: string; idx: number }>(
          'SELECT id, idx FROM catalog_import_ids WHERE id = ANY($1::text[])',
          [duplicates.map((d) => d.product.id)],
        );
        const firstIndex = new Map(first.rows.map((r) => [r.id, r.idx]));
        for (const d of duplicates)
          reject({
            index: d.index,
            id: d.product.id,
            reason: `duplicate id, first seen at index ${firstIndex.get(d.product.id)}`,
          });
      }
      const rows = batch
        .filter((b) => accepted.has(b.index))
        .map(({ product: p }) => ({
          id: p.id,
          brand: p.brand,
          name: p.name,
          category: p.category,
          aliases: p.aliases,
          manual_url: p.manualUrl ?? null,
          image_url: p.imageUrl ?? null,
          support_url: p.supportUrl ?? null,
        }));
      imported += rows.length;
      if (rows.length === 0) return;
      const upserted = await tx.query<{ n: number }>(
        `WITH upserted AS (
           INSERT INTO products AS p (id, brand, name, category, aliases, manual_url, image_url, support_url)
             SELECT id, brand, name, category, aliases, manual_url, image_url, support_url
               FROM jsonb_to_recordset($1::jsonb)
                 AS r(id text, brand text, name text, category text, aliases jsonb, manual_url text, image_url text,
                      support_url text)
           ON CONFLICT (id) DO UPDATE SET
             brand = excluded.brand, name = excluded.name, category = excluded.category, aliases = excluded.aliases,
             manual_url = excluded.manual_url, image_url = excluded.image_url, support_url = excluded.support_url,
             retired_at = NULL, updated_at = now()
           WHERE (p.brand, p.name, p.category, p.aliases, p.manual_url, p.image_url, p.support_url, p.retired_at)
                 IS DISTINCT FROM (excluded.brand, excluded.name, excluded.category, excluded.aliases,
                                   excluded.manual_url, excluded.image_url, excluded.support_url, NULL::timestamptz)
           RETURNING 1)
         SELECT count(*)::int AS n FROM upserted`,
        [JSON.stringify(rows)],
      );
      changed += upserted.rows[0]?.n ?? 0;
    };

    let batch: Indexed[] = [];
    for await (const record of records) {
      const index = total;
      total += 1;
      const parsed = ProductRecord.safeParse(record);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        reject(rejectionOf(index, record, `${field}${issue?.message ?? 'invalid record'}`));
        continue;
      }
      const cleaned = cleanRecord(parsed.data);
      noteRenames(cleaned.renamed);
      batch.push({ index, product: cleaned.product });
      if (batch.length >= IMPORT_BATCH) {
        await writeBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await writeBatch(batch);

    // A file whose every record is bad must not retire the whole live catalog.
    if (imported === 0) throw new CatalogFileError(source, `no valid product records (${rejectedCount} rejected)`);
    const retired = await tx.query<{ n: number }>(
      `WITH retired AS (
         UPDATE products SET retired_at = now(), updated_at = now()
          WHERE retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM catalog_import_ids i WHERE i.id = products.id)
         RETURNING 1)
       SELECT count(*)::int AS n FROM retired`,
    );
    const report: ImportReport = {
      source,
      total,
      imported,
      changed,
      retired: retired.rows[0]?.n ?? 0,
      rejectedCount,
      rejected: rejected.sort((a, b) => a.index - b.index),
      renamedCount,
      renamed: [...renamed.values()],
    };
    await tx.query(
      'INSERT INTO catalog_imports (source, imported, changed, retired, rejected) VALUES ($1, $2, $3, $4, $5)',
      [source, report.imported, report.changed, report.retired, rejectedCount],
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
  support_url: string | null;
}

export async function loadActiveProducts(db: Queryable): Promise<Product[]> {
  const { rows } = await db.query<ProductRow>(
    `SELECT id, brand, name, category, aliases, manual_url, image_url, support_url
       FROM products WHERE retired_at IS NULL ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id,
    brand: r.brand,
    name: r.name,
    category: r.category,
    aliases: r.aliases,
    ...(r.manual_url ? { manualUrl: r.manual_url } : {}),
    ...(r.image_url ? { imageUrl: r.image_url } : {}),
    ...(r.support_url ? { supportUrl: r.support_url } : {}),
  }));
}

/** Hosts (`host` or `host:port`) of the active products' manual URLs: where the manual fetcher may go. */
export async function activeManualHosts(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ url: string }>(
    'SELECT DISTINCT manual_url AS url FROM products WHERE manual_url IS NOT NULL AND retired_at IS NULL',
  );
  // host[:port]: a URL on a port of its own allows that port, one without it the default ports only.
  return [...new Set(rows.map((r) => new URL(r.url).host.toLowerCase()))];
}

/** A number that grows whenever an import changed what prediction should see. */
export async function catalogVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: string | null }>(
    'SELECT max(id)::text AS version FROM catalog_imports WHERE changed > 0 OR retired > 0',
  );
  return Number(rows[0]?.version ?? 0);
}
