/**
 * Stored sessions, in the database beside the conversations they hold (PGlite embedded, Postgres
 * deployed), never in the key-value store the answer cache uses: churn cannot evict a real session, a
 * full cache cannot refuse one, and an embedded restart keeps them.
 *
 * A session costs nothing until used: a socket has an id from the start, but a row exists only once its
 * first `select` or `ask` stores it (`use`). A session picked but never asked about lives 30 minutes
 * after its last use; one with a turn lives the retention period after it (ConversationStore.record).
 * An erased id is tombstoned (erased_sessions): it is never stored again and no turn is recorded under it.
 */
import type { Db } from '../../adapters/storage/db.js';
import type { Instruments } from '../../shared/telemetry/registry.js';
import { SessionGoneError, UserFacingError } from '../ports.js';
import type { SessionGoneReason } from '../../shared/protocol.js';

/** How long a session that was used but holds no turn is kept after its last use. */
export const SESSION_IDLE_SECONDS = 30 * 60;
/** The row count that decides "full" is taken again after this; between counts, this instance adds its own. */
const COUNT_EVERY_MS = 5_000;

export type SessionLookup =
  | { found: true; productId: string | undefined }
  | { found: false; reason: SessionGoneReason };

export interface SessionStoreOptions {
  /** Sessions stored at most (SESSION_STORE_MAX). */
  max: number;
  metrics: Pick<Instruments, 'sessionStoreSessions' | 'sessionStoreCapacity' | 'sessionStoreFullTotal'>;
}

export class SessionStore {
  private counted: { at: number; rows: number } | undefined;
  private counting: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: SessionStoreOptions,
  ) {
    options.metrics.sessionStoreCapacity.set(options.max);
  }

  /** A session to resume: found (its use extends its life), or why not. */
  async lookup(sessionId: string): Promise<SessionLookup> {
    const { rows } = await this.db.query<{ product_id: string | null }>(
      `UPDATE sessions SET expires_at = greatest(expires_at, now() + make_interval(secs => $2))
        WHERE id = $1 AND expires_at > now() RETURNING product_id`,
      [sessionId, SESSION_IDLE_SECONDS],
    );
    if (rows[0]) return { found: true, productId: rows[0].product_id ?? undefined };
    const erased = await this.db.query('SELECT 1 FROM erased_sessions WHERE session_id = $1', [sessionId]);
    return { found: false, reason: erased.rows.length > 0 ? 'erased' : 'expired' };
  }

  /**
   * Stores the session on its first use (`fresh`: refused with `unavailable` when the store is full) or
   * records a later one, with the product it looks at when that changed. Throws SessionGoneError for an
   * erased id.
   */
  async use(sessionId: string, options: { fresh: boolean; productId?: string }): Promise<void> {
    if (options.fresh && (await this.size()) >= this.options.max) {
      this.options.metrics.sessionStoreFullTotal.inc();
      throw new UserFacingError(
        'unavailable',
        'we cannot start a new conversation right now (too many open); please try again in a few minutes',
      );
    }
    const { rows } = await this.db.query(
      `INSERT INTO sessions (id, product_id, expires_at)
         SELECT $1, $2, now() + make_interval(secs => $3)
          WHERE NOT EXISTS (SELECT 1 FROM erased_sessions WHERE session_id = $1)
       ON CONFLICT (id) DO UPDATE
         SET product_id = coalesce(EXCLUDED.product_id, sessions.product_id),
             expires_at = greatest(sessions.expires_at, EXCLUDED.expires_at)
       RETURNING 1`,
      [sessionId, options.productId ?? null, SESSION_IDLE_SECONDS],
    );
    if (rows.length === 0) throw new SessionGoneError('erased');
    if (options.fresh && this.counted) this.counted.rows += 1;
  }

  /**
   * Tombstones the id and removes its row, in one transaction: it waits for a turn being recorded under
   * the session (which holds the row) and, once committed, no turn or session can be written under it.
   */
  async tombstone(sessionId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO erased_sessions (session_id) VALUES ($1) ON CONFLICT DO NOTHING', [sessionId]);
      await tx.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
    });
  }

  /** Sessions stored, as counted at most COUNT_EVERY_MS ago plus this instance's since. */
  async size(): Promise<number> {
    if (this.counted && Date.now() - this.counted.at < COUNT_EVERY_MS) return this.counted.rows;
    this.counting ??= this.count().finally(() => {
      this.counting = undefined;
    });
    return this.counting;
  }

  /** Counts the stored sessions now (the gauge follows). */
  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM sessions WHERE expires_at > now()',
    );
    const n = Number(rows[0]?.n ?? 0);
    this.counted = { at: Date.now(), rows: n };
    this.options.metrics.sessionStoreSessions.set(n);
    return n;
  }
}

/** Removes sessions past their life, and tombstones older than the retention period (maintenance). */
export async function purgeExpiredSessions(
  db: Db,
  retentionDays: number,
): Promise<{ sessions: number; tombstones: number }> {
  const sessions = await db.query('DELETE FROM sessions WHERE expires_at < now() RETURNING 1');
  const tombstones = await db.query(
    'DELETE FROM erased_sessions WHERE erased_at < now() - make_interval(days => $1) RETURNING 1',
    [retentionDays],
  );
  return { sessions: sessions.rows.length, tombstones: tombstones.rows.length };
}
