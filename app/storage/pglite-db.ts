/** Embedded adapter: PGlite keeps its data in a directory (or in memory) and survives restarts. */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Session } from './db.js';
import type { Instruments } from '../telemetry/registry.js';

export async function openPgliteDb(options: { dataDir?: string; metrics?: Instruments }): Promise<Db> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pg = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  const m = options.metrics;
  m?.postgresqlConnectionsMax.set({ pool: 'primary' }, 1);

  async function timed<R>(run: () => Promise<{ rows: R[] }>): Promise<QueryResult<R>> {
    const end = m?.postgresqlQueryDurationSeconds.startTimer({ pool: 'primary' });
    m?.postgresqlConnectionsUsed.inc({ pool: 'primary' });
    try {
      const result = await run();
      end?.({ outcome: 'ok' });
      return { rows: result.rows };
    } catch (error) {
      end?.({ outcome: 'error' });
      throw error;
    } finally {
      m?.postgresqlConnectionsUsed.dec({ pool: 'primary' });
    }
  }

  const db: Db = {
    kind: 'embedded',
    query: (sql, params) => timed(() => pg.query(sql, params ? [...params] : undefined)),
    get read() {
      return db;
    },
    transaction: (fn) =>
      // PGlite serialises every other query behind an open transaction, so nothing interleaves with it.
      pg.transaction((tx) => {
        const session: Session = {
          query: (sql, params) => timed(() => tx.query(sql, params ? [...params] : undefined)),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        };
        return fn(session);
      }),
    // PGlite is one connection without timeouts: maintenance runs on it directly.
    maintenanceSession: (fn) =>
      fn({
        query: (sql, params) => timed(() => pg.query(sql, params ? [...params] : undefined)),
        exec: async (sql) => {
          await pg.exec(sql);
        },
      }),
    ping: async () => {
      await pg.query('SELECT 1');
    },
    close: () => pg.close(),
  };
  return db;
}
