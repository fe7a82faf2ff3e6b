/** One contract, two adapters: embedded PGlite and node-postgres against a real postgres server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresInstance } from '../../../test/harness/index.js';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { openPgliteDb } from './pglite-db.js';
import { openPostgresDb } from './postgres-db.js';
import { importCatalog, loadActiveProducts, parseCatalog, catalogVersion } from '../../core/catalog/import.js';

let server: PostgresInstance;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const adapters: Record<string, () => Promise<Db>> = {
  pglite: () => openPgliteDb({}),
  'pglite in a worker thread': () => openPgliteDb({ thread: true }),
  postgres: async () =>
    openPostgresDb({
      url: await server.createDatabase(`c${Date.now()}${Math.floor(Math.random() * 1e6)}`),
      poolMax: 4,
      statementTimeoutMs: 5_000,
    }),
};

describe.each(Object.entries(adapters))('Db contract: %s', (_name, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies migrations once', async () => {
    const first = await migrate(db);
    expect(first).toContain('001_catalog.sql');
    expect(await migrate(db)).toEqual([]);
  });

  it('answers parameterised queries on the primary and the read path', async () => {
    const { rows } = await db.query<{ n: number }>('SELECT $1::int + 1 AS n', [41]);
    expect(rows[0]?.n).toBe(42);
    expect((await db.read.query<{ s: string }>('SELECT $1::text AS s', ['x'])).rows[0]?.s).toBe('x');
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('rolls a failed transaction back whole', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS t (v int)');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT * FROM t')).rows).toHaveLength(0);
    await db.transaction(async (tx) => {
      await tx.exec('INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);');
    });
    expect((await db.query('SELECT * FROM t')).rows).toHaveLength(2);
  });

  it('fails a bad statement with its SQLSTATE code, and keeps answering', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS uniq (v int PRIMARY KEY)');
    await db.query('INSERT INTO uniq VALUES (1) ON CONFLICT DO NOTHING');
    await expect(db.query('INSERT INTO uniq VALUES (1)')).rejects.toMatchObject({ code: '23505' });
    await expect(db.query('SELEKT 1')).rejects.toMatchObject({ code: '42601' });
    expect((await db.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
  });

  it('keeps a transaction whole: a statement from outside sees none of its writes or all of them', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS iso (v int)');
    let outside: Promise<{ rows: { n: number }[] }> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO iso VALUES (1)');
      outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM iso');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.query('INSERT INTO iso VALUES (2)');
    });
    // Postgres reads the snapshot before the commit (0); PGlite runs it after the transaction (2); never 1.
    expect([0, 2]).toContain((await outside!).rows[0]?.n);
  });

  it('imports a catalog idempotently, reports bad records by position, retires removed products', async () => {
    const text = JSON.stringify([
      { id: 'a', brand: ' Roland Commercial ', name: 'Roland TD-17KV', category: 'drums' },
      {
        id: 'b',
        brand: 'Akai Professional',
        name: 'MPC Live II',
        category: 'x',
        aliases: ['mpc live 2'],
        manualUrl: 'https://example.com/m.pdf',
      },
      { id: '', brand: 'X', name: 'Y', category: 'z' },
      { id: 'c', brand: 'Mackie', name: 123, category: 'z' },
      { id: 'a', brand: 'Dup', name: 'Dup', category: 'z' },
      'not an object',
    ]);
    const parsed = parseCatalog('test.json', text);
    const first = await importCatalog(db, 'test.json', parsed);
    expect(first).toMatchObject({ total: 6, imported: 2, changed: 2, retired: 0, rejectedCount: 4 });
    expect(first.rejected.map((r) => r.index)).toEqual([2, 3, 4, 5]);
    expect(first.rejected[1]).toMatchObject({ index: 3, id: 'c' });
    expect(first.rejected[1]?.reason).toMatch(/^name: /);
    expect(first.rejected[2]?.reason).toBe('duplicate id, first seen at index 0');
    const v1 = await catalogVersion(db);
    const again = await importCatalog(db, 'test.json', parsed);
    expect(again).toMatchObject({ imported: 2, changed: 0, retired: 0 });
    expect(await catalogVersion(db)).toBe(v1);

    const products = await loadActiveProducts(db);
    expect(products).toEqual([
      // Cleaned on import (app/core/catalog/rules): one display name per brand, the exported one kept to match.
      { id: 'a', brand: 'Roland', name: 'Roland TD-17KV', category: 'drums', aliases: ['Roland Commercial'] },
      {
        id: 'b',
        brand: 'Akai Professional',
        name: 'MPC Live II',
        category: 'x',
        aliases: ['mpc live 2'],
        manualUrl: 'https://example.com/m.pdf',
      },
    ]);

    const shrunk = await importCatalog(
      db,
      'test.json',
      parseCatalog(
        't',
        JSON.stringify([
          {
            id: 'b',
            brand: 'Akai Professional',
            name: 'MPC Live II',
            category: 'x',
            aliases: ['mpc live 2'],
            manualUrl: 'https://example.com/m.pdf',
          },
        ]),
      ),
    );
    expect(shrunk).toMatchObject({ changed: 0, retired: 1 });
    expect((await loadActiveProducts(db)).map((p) => p.id)).toEqual(['b']);
    expect(await catalogVersion(db)).toBeGreaterThan(v1);
  });

  it('refuses a catalog with no valid record instead of retiring everything', async () => {
    await expect(importCatalog(db, 'bad.json', parseCatalog('bad.json', '[{"id":1}]'))).rejects.toThrow(
      /no valid product records/,
    );
    expect((await loadActiveProducts(db)).length).toBeGreaterThan(0);
  });
});

describe('parseCatalog', () => {
  it('explains files that are not catalogs', () => {
    expect(() => parseCatalog('x.json', '{"id":"a"}')).toThrow(/expected a JSON array/);
    expect(() => parseCatalog('x.json', '[{')).toThrow(/not valid JSON/);
  });
});
