/**
 * Regression (issue 12, HIGH 2): one entry Postgres cannot hold (a NUL, a lone surrogate) failed its
 * batch, which was put back and failed again every second, forever, logging the whole batch each time.
 * Now the refused entry is dropped and counted, its neighbours are written, the log keeps writing, and
 * the failure is logged once without any entry's content. On both adapters.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { createTelemetry } from '../../shared/telemetry/registry.js';
import type { Db } from '../../adapters/storage/db.js';
import { migrate } from '../../adapters/storage/migrate.js';
import { bothDbAdapters } from '../../../test/helpers/db-adapters.js';
import { createAuditLog } from './audit-log.js';

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

const rowsOf = async (db: Db, sessionId: string) =>
  (
    await db.query<{ detail: string | null }>('SELECT detail FROM audit_log WHERE session_id = $1 ORDER BY id', [
      sessionId,
    ])
  ).rows.map((r) => r.detail);

describe.each(bothDbAdapters())('audit log on %s', (_name, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('drops only the entries the database refuses, counts them, and keeps writing', async () => {
    const telemetry = createTelemetry({ defaultMetrics: false });
    const { lines, log } = capturedLog();
    const audit = createAuditLog(db, { detailMaxChars: 500, metrics: telemetry.m, log, flushEveryMs: 60_000 });
    const entry = (detail: string) => ({ sessionId: 's-nul', action: 'ask', outcome: 'ok', detail });
    audit.record(entry('first secret question'));
    audit.record(entry('nul \u0000 secret question'));
    audit.record(entry('lone \ud800 secret question'));
    audit.record(entry('second secret question'));
    await audit.flush();
    expect(await rowsOf(db, 's-nul')).toEqual(['first secret question', 'second secret question']);
    expect(await telemetry.registry.getSingleMetricAsString('audit_entries_dropped_total')).toMatch(
      /audit_entries_dropped_total\{reason="rejected"\} 2/,
    );

    // Nothing is retried: the next flushes write only what is new.
    audit.record(entry('third secret question'));
    await audit.flush();
    await audit.flush();
    expect(await rowsOf(db, 's-nul')).toEqual([
      'first secret question',
      'second secret question',
      'third secret question',
    ]);
    const warnings = lines.filter((l) => l.includes('audit batch'));
    expect(warnings).toHaveLength(1);
    expect(lines.join('')).not.toMatch(/secret question/);
    await audit.close();
  });

  it('erasure removes the queued entries of a session; close writes what is left', async () => {
    const telemetry = createTelemetry({ defaultMetrics: false });
    const audit = createAuditLog(db, { detailMaxChars: 500, metrics: telemetry.m, flushEveryMs: 60_000 });
    audit.record({ sessionId: 'erase-me', action: 'ask', outcome: 'ok', detail: 'mine' });
    audit.record({ sessionId: 'keep-me', action: 'select', outcome: 'ok' });
    audit.record({ sessionId: 'erase-me', action: 'select', outcome: 'ok' });
    expect(audit.discard('erase-me')).toBe(2);
    await audit.close();
    expect(await rowsOf(db, 'erase-me')).toEqual([]);
    expect(await rowsOf(db, 'keep-me')).toEqual([null]);
  });
});
