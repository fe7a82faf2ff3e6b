/**
 * Erasure request for one session, final whatever the session is doing: its id is tombstoned first
 * (from then on the database refuses a turn, a session row or an audit entry under it), then every
 * instance is told on the bus (its asks are aborted, its sockets closed), then its rows are deleted.
 * Cached answers are keyed by manual and question, never by session, so nothing of it lives there.
 */
import type { Bus } from '../../adapters/bus/bus.js';
import { eraseSessionRows } from '../conversations/conversation-store.js';
import type { Db } from '../../adapters/storage/db.js';
import { publishSessionEvent } from '../sessions/session-events.js';
import type { SessionStore } from '../sessions/session-store.js';

export interface ErasureReport {
  sessionId: string;
  conversationTurns: number;
  auditRows: number;
}

export async function eraseSession(
  deps: { db: Db; sessions: SessionStore; bus: Bus },
  sessionId: string,
): Promise<ErasureReport> {
  await deps.sessions.tombstone(sessionId);
  await publishSessionEvent(deps.bus, sessionId, { kind: 'erased' });
  const rows = await eraseSessionRows(deps.db, sessionId);
  return { sessionId, conversationTurns: rows.turns, auditRows: rows.audit };
}
