/** The node-postgres adapter against a real server: what the pool leaves to its caller. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresInstance } from '../../test/harness/index.js';
import { openPostgresDb } from './postgres-db.js';
import type { Db } from './db.js';

let server: PostgresInstance;
let db: Db;
beforeAll(async () => {
  server = await startPostgres();
  db = openPostgresDb({ url: await server.createDatabase('held'), poolMax: 2, statementTimeoutMs: 5_000 });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('openPostgresDb', () => {
  it('fails a transaction whose connection the server ends between statements, and keeps answering', async () => {
    const held = db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // The connection's end arrives while the transaction runs no statement: an 'error' event with
      // no listener, which crashed the process (vitest reports it as an unhandled error).
      await new Promise((resolve) => setTimeout(resolve, 500));
      await tx.query('SELECT 1');
    });
    await expect(held).rejects.toThrow();
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    // The lost connection was not handed out again: both of the pool's two connections work.
    const both = await Promise.all([
      db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one, pg_sleep(0.1)')),
      db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one, pg_sleep(0.1)')),
    ]);
    expect(both.map((r) => r.rows[0]!.one)).toEqual([1, 1]);
  });
});
