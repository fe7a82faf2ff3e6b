/**
 * The audit log: who did what, when, with what outcome. Entries are buffered and written in batches
 * so auditing never sits on a request's critical path; free text (questions) is cut to a configured
 * length and nothing secret is ever passed in.
 */
import type { Logger } from 'pino';
import type { Db } from '../storage/db.js';

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
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditOptions {
  detailMaxChars: number;
  flushEveryMs?: number;
  /** A bound on the buffer: past it the oldest entries are dropped and counted, never memory without end. */
  maxBuffered?: number;
  log?: Logger;
}

export function createAuditLog(db: Db, options: AuditOptions): AuditLog {
  let buffer: AuditEntry[] = [];
  let dropped = 0;
  const maxBuffered = options.maxBuffered ?? 10_000;
  let flushing: Promise<void> = Promise.resolve();

  const writeBatch = async () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    const rows = batch.map((e) => ({
      session_id: e.sessionId ?? null,
      client: e.client ?? null,
      action: e.action,
      target: e.target ?? null,
      outcome: e.outcome,
      detail: e.detail === undefined ? null : e.detail.slice(0, options.detailMaxChars),
    }));
    try {
      await db.query(
        `INSERT INTO audit_log (session_id, client, action, target, outcome, detail)
         SELECT session_id, client, action, target, outcome, detail
           FROM jsonb_to_recordset($1::jsonb) AS r(session_id text, client text, action text, target text, outcome text, detail text)`,
        [JSON.stringify(rows)],
      );
    } catch (error) {
      options.log?.warn({ err: error, entries: batch.length }, 'audit batch not written; retrying with the next flush');
      buffer = [...batch, ...buffer].slice(-maxBuffered);
    }
    if (dropped > 0) {
      options.log?.warn({ dropped }, 'audit entries dropped: buffer full');
      dropped = 0;
    }
  };

  const flush = () => (flushing = flushing.then(writeBatch));
  const timer = setInterval(() => void flush(), options.flushEveryMs ?? 1_000);
  timer.unref();

  return {
    record(entry) {
      if (buffer.length >= maxBuffered) {
        buffer.shift();
        dropped += 1;
      }
      buffer.push(entry);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
