/**
 * Manual rows and their indexed chunks in Postgres (tables from migrations/002_manuals.sql), and
 * retrieval: the question's lexemes OR-ed, chunks ranked by ts_rank. Not `plainto_tsquery`, which
 * requires every word of the question to appear in one chunk and so misses most paraphrased questions
 * (bench:manuals measures both in the same run). Searches read from the replica when there is one.
 */
import type { ManualStatus } from '../../shared/protocol.js';
import type { Db, Queryable } from '../../adapters/storage/db.js';
import type { ManualChunk } from './chunk.js';
import { expandQuestion } from './thesaurus.js';

export interface ManualRecord {
  id: string;
  productId: string;
  url: string;
  status: ManualStatus;
  error: string | undefined;
  pages: number | undefined;
  contentHash: string | undefined;
  bytes: number | undefined;
  /** When the next attempt starts, while `queued` after a failed one. */
  retryAt: Date | undefined;
  updatedAt: Date;
}

export interface RetrievedChunk {
  manualId: string;
  page: number;
  ord: number;
  heading: string | undefined;
  text: string;
  rank: number;
}

/**
 * `or`: any word of the question or of its thesaurus expansion may match, ranked (the app's retrieval);
 * `literal`: the same without the thesaurus; `plain`: plainto_tsquery, every word required (baselines).
 */
export type SearchMode = 'or' | 'literal' | 'plain';

interface ManualRow {
  id: string;
  product_id: string;
  url: string;
  status: ManualStatus;
  error: string | null;
  pages: number | null;
  content_hash: string | null;
  bytes: string | number | null;
  retry_at: Date | string | null;
  updated_at: Date | string;
}

const MANUAL_COLUMNS = 'id, product_id, url, status, error, pages, content_hash, bytes, retry_at, updated_at';

function toRecord(row: ManualRow): ManualRecord {
  return {
    id: row.id,
    productId: row.product_id,
    url: row.url,
    status: row.status,
    error: row.error ?? undefined,
    pages: row.pages ?? undefined,
    contentHash: row.content_hash ?? undefined,
    // bigint arrives as a string from node-postgres.
    bytes: row.bytes === null ? undefined : Number(row.bytes),
    retryAt: row.retry_at === null ? undefined : new Date(row.retry_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** One manual per product; its id is the product's id (also the job id, so a manual is fetched once at a time). */
export function manualIdFor(productId: string): string {
  return productId;
}

/**
 * Chunks written per statement when a manual is replaced. Each batch is its own short statement, so a
 * question about another manual waits for one batch at most, never for the whole manual.
 */
export const CHUNK_BATCH = 50;

/**
 * After each batch the writer waits as long as the batch took: on the embedded database (one connection)
 * an ask's several queries each queue behind the writer's next batch, and 3,600 chunks written
 * back-to-back held one ask for 7 s against 0.4 s without them. Half the database's time stays free.
 */
const yieldAsLongAs = (since: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(1_000, performance.now() - since)));

/** Only the manual's current chunk set: a new one being written, or an old one being deleted, is invisible. */
const CURRENT = 'version = (SELECT chunk_version FROM manuals WHERE id = $1)';

export class ManualIndexStore {
  constructor(
    private readonly db: Db,
    private readonly batch = CHUNK_BATCH,
  ) {}

  /**
   * The product's manual row, created as `none` when missing. A changed URL starts the manual over
   * (`none`, no error, old chunks kept until the new ones replace them).
   */
  async upsert(productId: string, url: string): Promise<ManualRecord> {
    const { rows } = await this.db.query<ManualRow>(
      `INSERT INTO manuals AS m (id, product_id, url) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET url = excluded.url, status = 'none', error = NULL, retry_at = NULL, updated_at = now()
         WHERE m.url IS DISTINCT FROM excluded.url
       RETURNING ${MANUAL_COLUMNS}`,
      [manualIdFor(productId), productId, url],
    );
    return rows[0] ? toRecord(rows[0]) : this.require(manualIdFor(productId));
  }

  async get(id: string, from: Queryable = this.db): Promise<ManualRecord | undefined> {
    const { rows } = await from.query<ManualRow>(`SELECT ${MANUAL_COLUMNS} FROM manuals WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  private async require(id: string): Promise<ManualRecord> {
    const record = await this.get(id);
    if (!record) throw new Error(`manual ${id} does not exist`);
    return record;
  }

  /**
   * Moves a manual to `to` only if its status is one of `from`; returns the updated row, or undefined
   * when another trigger got there first (so two sessions asking at once enqueue one job).
   */
  async transition(
    id: string,
    from: readonly ManualStatus[],
    to: ManualStatus,
    fields: { error?: string } = {},
  ): Promise<ManualRecord | undefined> {
    const { rows } = await this.db.query<ManualRow>(
      `UPDATE manuals SET status = $3, error = $4, retry_at = NULL, updated_at = now()
       WHERE id = $1 AND status = ANY($2::text[])
       RETURNING ${MANUAL_COLUMNS}`,
      [id, [...from], to, fields.error ?? null],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Unconditional status change (the worker owns the manual while its job runs). Error and retry time
   * belong to this status only: a change that does not give them clears them.
   */
  async setStatus(
    id: string,
    status: ManualStatus,
    fields: { error?: string; bytes?: number; retryAt?: Date } = {},
  ): Promise<ManualRecord> {
    const { rows } = await this.db.query<ManualRow>(
      `UPDATE manuals SET status = $2, error = $3, bytes = coalesce($4, bytes), retry_at = $5, updated_at = now()
       WHERE id = $1 RETURNING ${MANUAL_COLUMNS}`,
      [id, status, fields.error ?? null, fields.bytes ?? null, fields.retryAt ?? null],
    );
    if (!rows[0]) throw new Error(`manual ${id} does not exist`);
    return toRecord(rows[0]);
  }

  /**
   * Replaces the manual's chunks and marks it `ready`. Readers see the old chunk set or the new one, never
   * a mix: the new set is inserted in batches under the next version, one short UPDATE makes it current,
   * and the old set is deleted in batches. No statement holds the database for the whole manual.
   */
  async replaceChunks(
    id: string,
    chunks: readonly ManualChunk[],
    facts: { pages: number; contentHash: string; bytes: number },
  ): Promise<ManualRecord> {
    const { rows: found } = await this.db.query<{ chunk_version: number }>(
      'SELECT chunk_version FROM manuals WHERE id = $1',
      [id],
    );
    if (!found[0]) throw new Error(`manual ${id} does not exist`);
    const current = found[0].chunk_version;
    const next = current + 1;
    // What an attempt that died between its inserts and its switch left behind.
    await this.deleteChunksBut(id, current);
    for (let at = 0; at < chunks.length; at += this.batch) {
      const batch = chunks.slice(at, at + this.batch);
      const started = performance.now();
      await this.db.query(
        `INSERT INTO manual_chunks (manual_id, version, ord, page, heading, text)
         SELECT $1, $2, * FROM unnest($3::int[], $4::int[], $5::text[], $6::text[])`,
        [
          id,
          next,
          batch.map((c) => c.ord),
          batch.map((c) => c.page),
          batch.map((c) => c.heading ?? null),
          batch.map((c) => c.text),
        ],
      );
      await yieldAsLongAs(started);
    }
    // Only from the version this replace started from: another writer that switched first wins.
    const { rows } = await this.db.query<ManualRow>(
      `UPDATE manuals SET chunk_version = $5, status = 'ready', error = NULL, retry_at = NULL, pages = $2, content_hash = $3, bytes = $4, updated_at = now()
       WHERE id = $1 AND chunk_version = $6 RETURNING ${MANUAL_COLUMNS}`,
      [id, facts.pages, facts.contentHash, facts.bytes, next, current],
    );
    if (!rows[0]) throw new Error(`manual ${id} was replaced by another writer`);
    await this.deleteChunksBut(id, next);
    return toRecord(rows[0]);
  }

  /** Deletes the manual's chunks of every version but `keep`, a batch per statement. */
  private async deleteChunksBut(id: string, keep: number): Promise<void> {
    for (;;) {
      const started = performance.now();
      const { rows } = await this.db.query(
        `DELETE FROM manual_chunks WHERE (manual_id, version, ord) IN (
           SELECT manual_id, version, ord FROM manual_chunks WHERE manual_id = $1 AND version <> $2 LIMIT $3
         ) RETURNING ord`,
        [id, keep, this.batch],
      );
      if (rows.length < this.batch) return;
      await yieldAsLongAs(started);
    }
  }

  /** Manuals whose status says a job should exist (the reconciler re-enqueues those without one). */
  async inFlight(olderThan: Date): Promise<ManualRecord[]> {
    const { rows } = await this.db.query<ManualRow>(
      `SELECT ${MANUAL_COLUMNS} FROM manuals WHERE status IN ('queued', 'fetching', 'indexing') AND updated_at < $1 ORDER BY updated_at`,
      [olderThan],
    );
    return rows.map(toRecord);
  }

  /** Manual records per status, for the `manuals_by_status` gauge. */
  async countByStatus(): Promise<Partial<Record<ManualStatus, number>>> {
    const { rows } = await this.db.read.query<{ status: ManualStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM manuals GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** The best `limit` chunks of one manual for a question, best first. */
  /**
   * The chunks with `ord` in [from, to], in manual order (rank 0): the text around a retrieved chunk, so
   * an answer can follow a procedure that continues past the chunk or onto the next page.
   */
  async around(manualId: string, from: number, to: number): Promise<RetrievedChunk[]> {
    const { rows } = await this.db.read.query<{ page: number; ord: number; heading: string | null; text: string }>(
      `SELECT page, ord, heading, text FROM manual_chunks
       WHERE manual_id = $1 AND ${CURRENT} AND ord BETWEEN $2 AND $3 ORDER BY ord`,
      [manualId, from, to],
    );
    return rows.map((r) => ({
      manualId,
      page: r.page,
      ord: r.ord,
      heading: r.heading ?? undefined,
      text: r.text,
      rank: 0,
    }));
  }

  async search(manualId: string, question: string, limit = 3, mode: SearchMode = 'or'): Promise<RetrievedChunk[]> {
    const query = mode === 'plain' ? "plainto_tsquery('hsc_manual', $2)" : 'hsc_manual_query($2)';
    const { rows } = await this.db.read.query<{
      manual_id: string;
      page: number;
      ord: number;
      heading: string | null;
      text: string;
      rank: number;
    }>(
      `SELECT manual_id, page, ord, heading, text, ts_rank(tsv, q, 1) AS rank
       FROM manual_chunks, ${query} AS q
       WHERE manual_id = $1 AND ${CURRENT} AND tsv @@ q
       ORDER BY rank DESC, ord
       LIMIT $3`,
      [manualId, mode === 'or' ? expandQuestion(question) : question, limit],
    );
    return rows.map((r) => ({
      manualId: r.manual_id,
      page: r.page,
      ord: r.ord,
      heading: r.heading ?? undefined,
      text: r.text,
      rank: Number(r.rank),
    }));
  }
}
