/** Conversation history per session in Postgres, with retention and per-session erasure. */
import type { Citation, Vote } from '../../shared/protocol.js';
import type { Db } from '../../adapters/storage/db.js';
import { SessionGoneError } from '../ports.js';

export interface ConversationTurn {
  sessionId: string;
  askId: string;
  /** The customer's conversation thread (protocol revision 2); absent for older clients. */
  threadId?: string | undefined;
  productId: string;
  question: string;
  answer: string;
  citations: Citation[];
  outcome: 'ok' | 'error' | 'timeout' | 'cancelled';
  model: string;
  vote?: 'up' | 'down' | undefined;
}

export class ConversationStore {
  constructor(
    private readonly db: Db,
    /** A session with a turn is kept this long after it (its turns are purged after as long). */
    private readonly retentionDays: number,
  ) {}

  /**
   * Records a turn under its stored session, extending the session's life. The session's row is held
   * while the turn is written: an erasure (SessionStore.tombstone) waits for it, and once the session
   * is gone (erased, or expired) nothing is recorded: SessionGoneError.
   */
  async record(turn: ConversationTurn): Promise<void> {
    await this.db.transaction(async (tx) => {
      const session = await tx.query(
        `UPDATE sessions SET expires_at = greatest(expires_at, now() + make_interval(days => $2))
          WHERE id = $1 RETURNING 1`,
        [turn.sessionId, this.retentionDays],
      );
      if (session.rows.length === 0) {
        const erased = await tx.query('SELECT 1 FROM erased_sessions WHERE session_id = $1', [turn.sessionId]);
        throw new SessionGoneError(erased.rows.length > 0 ? 'erased' : 'expired');
      }
      await tx.query(
        `INSERT INTO conversation_turns (session_id, ask_id, thread_id, product_id, question, answer, citations, outcome, model)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
        [
          turn.sessionId,
          turn.askId,
          turn.threadId ?? null,
          turn.productId,
          turn.question,
          turn.answer,
          JSON.stringify(turn.citations),
          turn.outcome,
          turn.model,
        ],
      );
    });
  }

  /** Records the customer's vote on one of their answers; false when the session has no such turn. */
  async vote(sessionId: string, askId: string, vote: Vote): Promise<boolean> {
    const { rows } = await this.db.query(
      'UPDATE conversation_turns SET vote = $3 WHERE session_id = $1 AND ask_id = $2 RETURNING id',
      [sessionId, askId, vote],
    );
    return rows.length > 0;
  }

  /** The session's latest turns, oldest first. Read from the primary: a resume must see the last answer. */
  async history(sessionId: string, limit = 100): Promise<ConversationTurn[]> {
    const { rows } = await this.db.query<{
      session_id: string;
      ask_id: string;
      thread_id: string | null;
      vote: 'up' | 'down' | null;
      product_id: string;
      question: string;
      answer: string;
      citations: Citation[];
      outcome: ConversationTurn['outcome'];
      model: string;
    }>(
      `SELECT * FROM (
         SELECT id, created_at, session_id, ask_id, thread_id, vote, product_id, question, answer, citations, outcome, model
           FROM conversation_turns WHERE session_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2
       ) latest ORDER BY created_at, id`,
      [sessionId, limit],
    );
    return rows.map((r) => ({
      sessionId: r.session_id,
      askId: r.ask_id,
      ...(r.thread_id ? { threadId: r.thread_id } : {}),
      ...(r.vote ? { vote: r.vote } : {}),
      productId: r.product_id,
      question: r.question,
      answer: r.answer,
      citations: r.citations,
      outcome: r.outcome,
      model: r.model,
    }));
  }

  /** The questions answered most often in the last day, per product (lower-cased), most asked first; read from the replica. */
  async mostAsked(limit: number): Promise<Array<{ productId: string; question: string }>> {
    const { rows } = await this.db.read.query<{ product_id: string; question: string }>(
      `SELECT product_id, lower(question) AS question FROM conversation_turns
        WHERE outcome = 'ok' AND created_at > now() - interval '1 day'
        GROUP BY product_id, lower(question) ORDER BY count(*) DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ productId: r.product_id, question: r.question }));
  }
}

/** Deletes conversations and audit rows older than the retention period; returns what went. */
export async function purgeExpired(db: Db, retentionDays: number): Promise<{ turns: number; audit: number }> {
  return db.transaction(async (tx) => {
    const turns = await tx.query(
      `DELETE FROM conversation_turns WHERE created_at < now() - make_interval(days => $1) RETURNING id`,
      [retentionDays],
    );
    const audit = await tx.query(`DELETE FROM audit_log WHERE at < now() - make_interval(days => $1) RETURNING id`, [
      retentionDays,
    ]);
    return { turns: turns.rows.length, audit: audit.rows.length };
  });
}

/** Erasure request: everything the database holds about one session (tombstone it first: SessionStore). */
export async function eraseSessionRows(db: Db, sessionId: string): Promise<{ turns: number; audit: number }> {
  return db.transaction(async (tx) => {
    const turns = await tx.query('DELETE FROM conversation_turns WHERE session_id = $1 RETURNING id', [sessionId]);
    const audit = await tx.query('DELETE FROM audit_log WHERE session_id = $1 RETURNING id', [sessionId]);
    return { turns: turns.rows.length, audit: audit.rows.length };
  });
}
