/**
 * Erasure request for one session: its conversation turns and audit rows in Postgres and its session
 * state in Redis. Cached answers are keyed by manual and question, never by session, so nothing of
 * the session lives there.
 */
import type { KeyValue } from '../cache/kv.js';
import { eraseSessionRows } from '../conversations/conversation-store.js';
import type { Db } from '../storage/db.js';
import { SessionStore } from '../sessions/session-store.js';

export interface ErasureReport {
  sessionId: string;
  conversationTurns: number;
  auditRows: number;
}

export async function eraseSession(db: Db, kv: KeyValue, sessionId: string): Promise<ErasureReport> {
  await new SessionStore(kv).delete(sessionId);
  const rows = await eraseSessionRows(db, sessionId);
  return { sessionId, conversationTurns: rows.turns, auditRows: rows.audit };
}
