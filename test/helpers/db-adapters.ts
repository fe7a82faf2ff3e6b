/**
 * Both Db adapters for tests that must hold on each: embedded PGlite, and node-postgres on a real
 * postgres server that this helper starts once per test file (and stops after it). Each `open()`
 * gives a fresh, empty database.
 */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresInstance } from '../harness/index.js';
import type { Db } from '../../app/adapters/storage/db.js';
import { openPgliteDb } from '../../app/adapters/storage/pglite-db.js';
import { openPostgresDb } from '../../app/adapters/storage/postgres-db.js';

export function bothDbAdapters(): [name: string, open: () => Promise<Db>][] {
  let server: PostgresInstance | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return [
    ['pglite', () => openPgliteDb({})],
    [
      'postgres',
      async () => {
        if (!server)
          throw new Error('bothDbAdapters(): postgres is not started yet (call open() inside a hook or test)');
        const url = await server.createDatabase(`t${Date.now()}${Math.floor(Math.random() * 1e6)}`);
        return openPostgresDb({ url, poolMax: 4, statementTimeoutMs: 5_000 });
      },
    ],
  ];
}
