/** Conversation history per session in Postgres, with retention and per-session erasure. */
import type { Citation } from '../protocol.js';
import type { Db } from '../storage/db.js';

export interface ConversationTurn {
  sessionId: string;
  askId: string;
  productId: string;
  question: string;
  answer: string;
  citations: Citation[];
  outcome: 'ok' | 'error' | 'timeout' | 'cancelled';
  model: string;
}

export class ConversationStore {
  constructor(private readonly db: Db) {}

  async record(turn: ConversationTurn): Promise<void> {
    await this.db.query(
      `INSERT INTO conversation_turns (session_id, ask_id, product_id, question, answer, citations, outcome, model)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
      [
        turn.sessionId,
        turn.askId,
        turn.productId,
        turn.question,
        turn.answer,
        JSON.stringify(turn.citations),
        turn.outcome,
        turn.model,
      ],
    );
  }

  async history(sessionId: string, limit = 100): Promise<ConversationTurn[]> {
    const { rows } = await this.db.read.query<{
      session_id: string;
      ask_id: string;
      product_id: string;
      question: string;
      answer: string;
      citations: Citation[];
      outcome: ConversationTurn['outcome'];
      model: string;
    }>(
      `SELECT session_id, ask_id, product_id, question, answer, citations, outcome, model
         FROM conversation_turns WHERE session_id = $1 ORDER BY created_at, id LIMIT $2`,
      [sessionId, limit],
    );
    return rows.map((r) => ({
      sessionId: r.session_id,
      askId: r.ask_id,
      productId: r.product_id,
      question: r.question,
      answer: r.answer,
      citations: r.citations,
      outcome: r.outcome,
      model: r.model,
    }));
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

/** Erasure request: everything Postgres holds about one session. */
export async function eraseSessionRows(db: Db, sessionId: string): Promise<{ turns: number; audit: number }> {
  return db.transaction(async (tx) => {
    const turns = await tx.query('DELETE FROM conversation_turns WHERE session_id = $1 RETURNING id', [sessionId]);
    const audit = await tx.query('DELETE FROM audit_log WHERE session_id = $1 RETURNING id', [sessionId]);
    return { turns: turns.rows.length, audit: audit.rows.length };
  });
}
