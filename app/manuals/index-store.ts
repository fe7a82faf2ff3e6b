/**
 * Manual rows and their indexed chunks in Postgres (tables from migrations/002_manuals.sql), and
 * retrieval: the question's lexemes OR-ed, chunks ranked by ts_rank. Not `plainto_tsquery`, which
 * requires every word of the question to appear in one chunk and so misses most paraphrased questions
 * (bench:manuals measures both in the same run). Searches read from the replica when there is one.
 */
import type { ManualStatus } from '../protocol.js';
import type { Db, Queryable } from '../storage/db.js';
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

export class ManualIndexStore {
  constructor(private readonly db: Db) {}

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

  /** Replaces the manual's chunks and marks it `ready`, atomically: readers see the old index or the new one. */
  async replaceChunks(
    id: string,
    chunks: readonly ManualChunk[],
    facts: { pages: number; contentHash: string; bytes: number },
  ): Promise<ManualRecord> {
    return this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM manual_chunks WHERE manual_id = $1', [id]);
      if (chunks.length > 0) {
        await tx.query(
          `INSERT INTO manual_chunks (manual_id, ord, page, heading, text)
           SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[])`,
          [
            id,
            chunks.map((c) => c.ord),
            chunks.map((c) => c.page),
            chunks.map((c) => c.heading ?? null),
            chunks.map((c) => c.text),
          ],
        );
      }
      const { rows } = await tx.query<ManualRow>(
        `UPDATE manuals SET status = 'ready', error = NULL, retry_at = NULL, pages = $2, content_hash = $3, bytes = $4, updated_at = now()
         WHERE id = $1 RETURNING ${MANUAL_COLUMNS}`,
        [id, facts.pages, facts.contentHash, facts.bytes],
      );
      if (!rows[0]) throw new Error(`manual ${id} does not exist`);
      return toRecord(rows[0]);
    });
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
      'SELECT page, ord, heading, text FROM manual_chunks WHERE manual_id = $1 AND ord BETWEEN $2 AND $3 ORDER BY ord',
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
       WHERE manual_id = $1 AND tsv @@ q
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
