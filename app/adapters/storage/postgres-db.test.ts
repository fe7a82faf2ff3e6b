/** The node-postgres adapter against a real server: what the pool leaves to its caller. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresInstance } from '../../../test/harness/index.js';
import { startTcpProxy, type TcpProxy } from '../../../test/resilience/helpers/tcp-proxy.js';
import { isDependencyDown } from '../../core/ports.js';
import { DatabaseUnreachableError, openPostgresDb } from './postgres-db.js';
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
    // A dependency that went away, not a bug: the customer is told `unavailable`, not `internal`.
    const failure = await held.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDependencyDown(failure), String(failure)).toBe(true);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    // The lost connection was not handed out again: both of the pool's two connections work.
    const both = await Promise.all([
      db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one, pg_sleep(0.1)')),
      db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one, pg_sleep(0.1)')),
    ]);
    expect(both.map((r) => r.rows[0]!.one)).toEqual([1, 1]);
  });
});

describe('the health probe', () => {
  let proxy: TcpProxy;
  let watched: Db;
  beforeAll(async () => {
    const url = new URL(await server.createDatabase('probed'));
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    url.hostname = proxy.host;
    url.port = String(proxy.port);
    // A held connection is checked after 200 ms; a probe gets 400 ms to answer.
    watched = openPostgresDb({
      url: url.toString(),
      poolMax: 1,
      statementTimeoutMs: 10_000,
      probeAfterMs: 200,
      probeTimeoutMs: 400,
    });
    await watched.query('SELECT 1');
  });
  afterAll(async () => {
    await watched?.close();
    await proxy?.close();
  });

  it('leaves a running query alone when one probe is slow to connect but the next answers', async () => {
    // The probe's connection is held up longer than its timeout, as a fresh connect is on a machine at
    // load 20; one slow probe destroyed every connection of the pool, the query below among them.
    proxy.stallNext(1_000);
    const { rows } = await watched.query<{ one: number }>('SELECT 1 AS one FROM pg_sleep(0.8)');
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('still takes a database that answers no probe as unreachable (control)', async () => {
    proxy.blackhole();
    // The query in flight fails when its connection is destroyed; the next fails at once, as unreachable.
    await expect(watched.query('SELECT 1')).rejects.toThrow('Connection terminated');
    await expect(watched.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnreachableError);
  });
});
