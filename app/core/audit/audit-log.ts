/**
 * The audit log: who did what, when, with what outcome. Entries are buffered and written in batches
 * so auditing never sits on a request's critical path; free text (questions) is cut to a configured
 * length and nothing secret is ever passed in.
 *
 * One bad entry must never stop the log. When the database refuses a batch for its data (SQLSTATE
 * class 22 or 23: a value it cannot hold), the batch is written row by row and only the refused rows
 * are dropped and counted (`audit_entries_dropped_total{reason="rejected"}`). When the database is
 * away, the batch waits for the next flush, within a bounded buffer. Either way the failure is
 * logged once, by its error code, never with the entries' content (questions are personal data).
 */
import type { Logger } from 'pino';
import type { Db } from '../../adapters/storage/db.js';
import type { Instruments } from '../../shared/telemetry/registry.js';

export interface AuditEntry {
  sessionId?: string | undefined;
  /** The client address as the gateway saw it. */
  client?: string | undefined;
  action: string;
  target?: string | undefined;
  outcome: string;
  detail?: string | undefined;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
  /** Removes the session's entries that are not written yet (erasure); returns how many. */
  discard(sessionId: string): number;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditOptions {
  detailMaxChars: number;
  metrics: Pick<Instruments, 'auditEntriesDroppedTotal'>;
  flushEveryMs?: number;
  /** A bound on the buffer: past it the oldest entries are dropped and counted, never memory without end. */
  maxBuffered?: number;
  log?: Logger;
}

/** Entries of an erased session are left out: an instance may still hold some when the erasure happens. */
const INSERT = `INSERT INTO audit_log (session_id, client, action, target, outcome, detail)
  SELECT session_id, client, action, target, outcome, detail
    FROM jsonb_to_recordset($1::jsonb) AS r(session_id text, client text, action text, target text, outcome text, detail text)
   WHERE r.session_id IS NULL OR NOT EXISTS (SELECT 1 FROM erased_sessions e WHERE e.session_id = r.session_id)`;

/** The database refused the values themselves: sending them again cannot succeed. */
function refusedForItsData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : ((error as Error).name ?? 'unknown');
}

export function createAuditLog(db: Db, options: AuditOptions): AuditLog {
  const { log, metrics } = options;
  let buffer: AuditEntry[] = [];
  let bufferFull = 0;
  let unreachableSince: number | undefined;
  const maxBuffered = options.maxBuffered ?? 10_000;
  let flushing: Promise<void> = Promise.resolve();

  const insert = (entries: AuditEntry[]) =>
    db.query(INSERT, [
      JSON.stringify(
        entries.map((e) => ({
          session_id: e.sessionId ?? null,
          client: e.client ?? null,
          action: e.action,
          target: e.target ?? null,
          outcome: e.outcome,
          detail: e.detail === undefined ? null : e.detail.slice(0, options.detailMaxChars),
        })),
      ),
    ]);

  /** Row by row: the refused rows are dropped, the rest written; stops (and keeps the rest) if the database goes away. */
  const isolate = async (batch: AuditEntry[]) => {
    let rejected = 0;
    for (const [i, entry] of batch.entries()) {
      try {
        await insert([entry]);
      } catch (error) {
        if (!refusedForItsData(error)) {
          buffer = [...batch.slice(i), ...buffer].slice(-maxBuffered);
          break;
        }
        rejected += 1;
      }
    }
    if (rejected > 0) metrics.auditEntriesDroppedTotal.inc({ reason: 'rejected' }, rejected);
    return rejected;
  };

  const writeBatch = async () => {
    if (bufferFull > 0) {
      metrics.auditEntriesDroppedTotal.inc({ reason: 'buffer_full' }, bufferFull);
      log?.warn({ dropped: bufferFull }, 'audit entries dropped: buffer full');
      bufferFull = 0;
    }
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    try {
      await insert(batch);
    } catch (error) {
      if (refusedForItsData(error)) {
        const rejected = await isolate(batch);
        log?.warn(
          { code: codeOf(error), entries: batch.length, rejected },
          'audit batch refused by the database; refused entries dropped, the others written',
        );
        return;
      }
      buffer = [...batch, ...buffer].slice(-maxBuffered);
      if (unreachableSince === undefined) {
        unreachableSince = Date.now();
        log?.warn(
          { code: codeOf(error), entries: batch.length },
          'audit batch not written: database unavailable; keeping entries for the next flush',
        );
      }
      return;
    }
    if (unreachableSince !== undefined) {
      log?.info({ afterMs: Date.now() - unreachableSince }, 'audit log writing again');
      unreachableSince = undefined;
    }
  };

  const flush = () => (flushing = flushing.then(writeBatch));
  const timer = setInterval(() => void flush(), options.flushEveryMs ?? 1_000);
  timer.unref();

  return {
    record(entry) {
      if (buffer.length >= maxBuffered) {
        buffer.shift();
        bufferFull += 1;
      }
      buffer.push(entry);
    },
    discard(sessionId) {
      const before = buffer.length;
      buffer = buffer.filter((e) => e.sessionId !== sessionId);
      return before - buffer.length;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
