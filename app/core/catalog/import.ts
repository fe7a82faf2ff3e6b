/**
 * Catalog import: a catalog file (a JSON array of product records) into Postgres. Bad records are
 * reported with their position and reason while the good ones still load; importing the same file
 * twice changes nothing. Products missing from the file are retired, not deleted.
 *
 * The file is streamed (json-array.ts) and written in batches inside one transaction, so memory stays
 * bounded whatever the catalog's size: neither the file, nor its records, nor the set of ids seen is
 * held in the process (records go to a temporary staging table, which also finds duplicates and drives
 * retiring).
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanRecord, type Renamed } from './clean.js';
import { JsonArrayError, jsonArrayElements } from './json-array.js';
import { parseProductRecord, ProductRecord, type Product } from './product.js';
import type { Db, Queryable } from '../../adapters/storage/db.js';

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
   * Brand and name clean-ups (app/core/catalog/rules/catalog-rules.json): records changed, and each distinct
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

export const IMPORT_BATCH = 10_000;
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

/** One batch's records as column arrays: one `unnest` parameter each. */
interface Columns {
  idx: number[];
  id: string[];
  brand: string[];
  name: string[];
  category: string[];
  aliases: string[];
  manualUrl: (string | null)[];
  imageUrl: (string | null)[];
  supportUrl: (string | null)[];
}

const QUOTE_OR_BACKSLASH = /["\\]/;
const QUOTES_AND_BACKSLASHES = /["\\]/g;

/**
 * A column as a Postgres array literal, every string quoted (`{"a","b \\"c\\"",NULL}`), integers not:
 * the text both drivers would build from the array. Built here it costs the import's thread about a
 * quarter less than node-postgres's serializer (two replaces per value), and PGlite's thread, the
 * embedded import's bottleneck, gets one string per column to copy instead of an array to clone and
 * serialize.
 */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (i > 0) literal += ',';
    if (value === null) literal += 'NULL';
    else if (typeof value === 'number') literal += value;
    else literal += `"${QUOTE_OR_BACKSLASH.test(value) ? value.replace(QUOTES_AND_BACKSLASHES, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

const emptyColumns = (): Columns => ({
  idx: [],
  id: [],
  brand: [],
  name: [],
  category: [],
  aliases: [],
  manualUrl: [],
  imageUrl: [],
  supportUrl: [],
});

/**
 * One import, all in one transaction (a failed one leaves the previous catalog as it was):
 *
 * 1. the valid records are appended to a temporary staging table, a batch at a time, as one multi-row
 *    `INSERT ... SELECT FROM unnest(...)` of column arrays each (no index to maintain, one round trip
 *    per IMPORT_BATCH records; the next batch is validated while the previous one is written);
 * 2. repeated ids are taken out of it, the first in file order staying, and reported;
 * 3. the products are upserted from it in one statement, then those absent from it retired.
 */
export async function importCatalog(db: Db, source: string, records: CatalogRecords): Promise<ImportReport> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
    await tx.query(
      `CREATE TEMP TABLE catalog_import (
         idx integer NOT NULL, id text NOT NULL, brand text NOT NULL, name text NOT NULL, category text NOT NULL,
         aliases jsonb NOT NULL, manual_url text, image_url text, support_url text
       ) ON COMMIT DROP`,
    );
    const rejected: Rejection[] = [];
    let rejectedCount = 0;
    const reject = (rejection: Rejection) => {
      rejectedCount += 1;
      if (rejected.length < REJECTIONS_KEPT) rejected.push(rejection);
    };
    let total = 0;
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

    const stage = async (c: Columns) => {
      await tx.query(
        `INSERT INTO catalog_import
           SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[],
                                $7::text[], $8::text[], $9::text[])`,
        [c.idx, c.id, c.brand, c.name, c.category, c.aliases, c.manualUrl, c.imageUrl, c.supportUrl].map(arrayLiteral),
      );
    };
    // At most one batch in flight: its failure surfaces at the next flush (or the end), and is never unhandled.
    let writing: Promise<void> = Promise.resolve();
    const flush = async (batch: Columns) => {
      await writing;
      writing = stage(batch);
      writing.catch(() => undefined);
    };

    let batch = emptyColumns();
    try {
      for await (const record of records) {
        const index = total;
        total += 1;
        const parsed = parseProductRecord(record);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
          reject(rejectionOf(index, record, `${field}${issue?.message ?? 'invalid record'}`));
          continue;
        }
        const { product: p, renamed: changes } = cleanRecord(parsed.data);
        noteRenames(changes);
        batch.idx.push(index);
        batch.id.push(p.id);
        batch.brand.push(p.brand);
        batch.name.push(p.name);
        batch.category.push(p.category);
        batch.aliases.push(JSON.stringify(p.aliases));
        batch.manualUrl.push(p.manualUrl ?? null);
        batch.imageUrl.push(p.imageUrl ?? null);
        batch.supportUrl.push(p.supportUrl ?? null);
        if (batch.idx.length >= IMPORT_BATCH) {
          await flush(batch);
          batch = emptyColumns();
        }
      }
      if (batch.idx.length > 0) await flush(batch);
    } finally {
      // A file that breaks off ends the transaction only once the batch being written is done.
      await writing.catch(() => undefined);
    }
    await writing;

    const duplicates = await tx.query<{ idx: number; id: string; first: number; n: number }>(
      `WITH repeated AS (SELECT id, min(idx) AS first FROM catalog_import GROUP BY id HAVING count(*) > 1),
            removed AS (DELETE FROM catalog_import s USING repeated r WHERE s.id = r.id AND s.idx > r.first
                        RETURNING s.idx, s.id, r.first)
       SELECT idx, id, first, (count(*) OVER ())::int AS n FROM removed ORDER BY idx LIMIT $1`,
      [REJECTIONS_KEPT],
    );
    const duplicateCount = duplicates.rows[0]?.n ?? 0;
    rejectedCount += duplicateCount;
    for (const d of duplicates.rows)
      rejected.push({ index: d.idx, id: d.id, reason: `duplicate id, first seen at index ${d.first}` });
    // Records are counted as they pass validation; the repeated ids among them were not imported.
    const staged = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_import');
    const imported = staged.rows[0]?.n ?? 0;

    // A file whose every record is bad must not retire the whole live catalog.
    if (imported === 0) throw new CatalogFileError(source, `no valid product records (${rejectedCount} rejected)`);
    const upserted = await tx.query<{ n: number }>(
      `WITH upserted AS (
         INSERT INTO products AS p (id, brand, name, category, aliases, manual_url, image_url, support_url)
           SELECT id, brand, name, category, aliases, manual_url, image_url, support_url FROM catalog_import
           -- In the index's order: each index page is touched once, not once per row at random.
           ORDER BY id
         ON CONFLICT (id) DO UPDATE SET
           brand = excluded.brand, name = excluded.name, category = excluded.category, aliases = excluded.aliases,
           manual_url = excluded.manual_url, image_url = excluded.image_url, support_url = excluded.support_url,
           retired_at = NULL, updated_at = now()
         WHERE (p.brand, p.name, p.category, p.aliases, p.manual_url, p.image_url, p.support_url, p.retired_at)
               IS DISTINCT FROM (excluded.brand, excluded.name, excluded.category, excluded.aliases,
                                 excluded.manual_url, excluded.image_url, excluded.support_url, NULL::timestamptz)
         RETURNING 1)
       SELECT count(*)::int AS n FROM upserted`,
    );
    const retired = await tx.query<{ n: number }>(
      `WITH retired AS (
         UPDATE products SET retired_at = now(), updated_at = now()
          WHERE retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM catalog_import i WHERE i.id = products.id)
         RETURNING 1)
       SELECT count(*)::int AS n FROM retired`,
    );
    const report: ImportReport = {
      source,
      total,
      imported,
      changed: upserted.rows[0]?.n ?? 0,
      retired: retired.rows[0]?.n ?? 0,
      rejectedCount,
      // The first REJECTIONS_KEPT by position, of the invalid records and the repeated ids together.
      rejected: rejected.sort((a, b) => a.index - b.index).slice(0, REJECTIONS_KEPT),
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
