/**
 * The session store on both database adapters: a session is found, expired or erased; nothing is
 * written under an erased id (session row, turn, audit entry); a full store refuses new sessions only;
 * and conversations kept before sessions moved into the database stay resumable after the migration.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bothDbAdapters } from '../../../test/helpers/db-adapters.js';
import { createAuditLog } from '../audit/audit-log.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { SessionGoneError, UserFacingError } from '../ports.js';
import type { Db } from '../../adapters/storage/db.js';
import { migrate } from '../../adapters/storage/migrate.js';
import { createTelemetry } from '../../shared/telemetry/registry.js';
import { SessionStore } from './session-store.js';

const MIGRATIONS = fileURLToPath(new URL('../../adapters/storage/migrations/', import.meta.url));
const turn = (sessionId: string) => ({
  sessionId,
  askId: 'a1',
  productId: 'p1',
  question: 'I am Jane Doe: how do I reset it?',
  answer: 'Hold ENTER.',
  citations: [],
  outcome: 'ok' as const,
  model: 'extractive',
});
const turnsOf = async (db: Db, sessionId: string) =>
  (await db.query('SELECT 1 FROM conversation_turns WHERE session_id = $1', [sessionId])).rows.length;

describe.each(bothDbAdapters())('session store on %s', (_name, open) => {
  it('finds a used session, says expired for an unknown one and erased for a tombstoned one; nothing is written under it again', async () => {
    const db = await open();
    try {
      await migrate(db);
      const telemetry = createTelemetry();
      const sessions = new SessionStore(db, { max: 10, metrics: telemetry.m });
      await sessions.use('s1', { fresh: true, productId: 'p1' });
      expect(await sessions.lookup('s1')).toEqual({ found: true, productId: 'p1' });
      expect(await sessions.lookup('never')).toEqual({ found: false, reason: 'expired' });

      await new ConversationStore(db, 90).record(turn('s1'));
      expect(await turnsOf(db, 's1')).toBe(1);
      await sessions.tombstone('s1');
      expect(await sessions.lookup('s1')).toEqual({ found: false, reason: 'erased' });
      await expect(new ConversationStore(db, 90).record(turn('s1'))).rejects.toEqual(new SessionGoneError('erased'));
      await expect(sessions.use('s1', { fresh: true })).rejects.toBeInstanceOf(SessionGoneError);
      const audit = createAuditLog(db, { detailMaxChars: 200, metrics: telemetry.m });
      audit.record({ sessionId: 's1', action: 'ask', outcome: 'ok', detail: 'Jane Doe' });
      audit.record({ sessionId: 's2', action: 'ask', outcome: 'ok' });
      await audit.close();
      const audited = await db.query<{ session_id: string }>('SELECT session_id FROM audit_log');
      expect(audited.rows.map((r) => r.session_id)).toEqual(['s2']);
    } finally {
      await db.close();
    }
  });

  it('refuses a new session past its cap with `unavailable`, counted; a stored one goes on', async () => {
    const db = await open();
    try {
      await migrate(db);
      const telemetry = createTelemetry();
      const sessions = new SessionStore(db, { max: 2, metrics: telemetry.m });
      await sessions.use('a', { fresh: true });
      await sessions.use('b', { fresh: true });
      const refused = await sessions.use('c', { fresh: true }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UserFacingError);
      expect(refused).toMatchObject({ code: 'unavailable' });
      await sessions.use('a', { fresh: false, productId: 'p2' });
      expect(await sessions.lookup('a')).toEqual({ found: true, productId: 'p2' });
      expect(await telemetry.registry.getSingleMetricAsString('session_store_full_total')).toMatch(
        /session_store_full_total 1$/m,
      );
    } finally {
      await db.close();
    }
  });

  it('keeps conversations recorded before the migration resumable', async () => {
    const before = await mkdtemp(join(tmpdir(), 'migrations-before-sessions-'));
    const db = await open();
    try {
      for (const file of (await readdir(MIGRATIONS)).filter((f) => f < '006'))
        await cp(join(MIGRATIONS, file), join(before, file));
      await migrate(db, { dir: `${before}/` });
      await db.query(
        `INSERT INTO conversation_turns (session_id, ask_id, product_id, question, outcome, model)
         VALUES ('old', 'a1', 'p1', 'q', 'ok', 'extractive')`,
      );
      await migrate(db);
      const sessions = new SessionStore(db, { max: 10, metrics: createTelemetry().m });
      expect(await sessions.lookup('old')).toEqual({ found: true, productId: undefined });
    } finally {
      await db.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});
