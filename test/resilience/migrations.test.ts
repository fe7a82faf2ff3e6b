/**
 * Migrations as a release step, against real Postgres: two runners racing while a migration outlasts
 * the request pool's statement timeout both finish and the schema is migrated once; a failing
 * migration rolls back alone; an app told not to migrate refuses an older schema with a clear message
 * and starts once `npm run migrate` has run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../app/adapters/storage/db.js';
import { migrate, pendingMigrations, SchemaBehindError } from '../../app/adapters/storage/migrate.js';
import { openPostgresDb } from '../../app/adapters/storage/postgres-db.js';
import { startPostgres, type PostgresInstance } from '../harness/index.js';
import { startTestRuntime } from '../helpers/runtime.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATEMENT_TIMEOUT_MS = 500;
const SLOW_MIGRATION_S = 1.5;

let postgres: PostgresInstance;
const dirs: string[] = [];
const dbs: Db[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  await postgres?.stop();
});

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return `${dir}/`;
}

/** An app-shaped pool: the request path's short statement timeout. */
function appDb(url: string): Db {
  const db = openPostgresDb({ url, poolMax: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
  dbs.push(db);
  return db;
}

describe('migrations', () => {
  it('two racing runners both finish and apply each migration once, one of them longer than the statement timeout', async () => {
    const url = await postgres.createDatabase('race');
    const dir = await migrationsDir({
      '001_table.sql': 'CREATE TABLE runs (n int NOT NULL);',
      '002_slow.sql': `SELECT pg_sleep(${SLOW_MIGRATION_S}); INSERT INTO runs VALUES (2);`,
      // Not idempotent: a second application would fail ("column already exists").
      '003_column.sql': 'ALTER TABLE runs ADD COLUMN note text; INSERT INTO runs VALUES (3);',
    });
    const [a, b] = [appDb(url), appDb(url)];
    // The premise: on the request path, this migration could not run.
    await expect(a.query(`SELECT pg_sleep(${SLOW_MIGRATION_S})`)).rejects.toThrow(/statement timeout/);

    const started = performance.now();
    const [fromA, fromB] = await Promise.all([migrate(a, { dir }), migrate(b, { dir })]);
    const elapsedMs = Math.round(performance.now() - started);

    expect([...fromA, ...fromB].sort()).toEqual(['001_table.sql', '002_slow.sql', '003_column.sql']);
    expect(fromA.filter((f) => fromB.includes(f))).toEqual([]);
    expect((await a.query<{ n: number }>('SELECT n FROM runs ORDER BY n')).rows.map((r) => r.n)).toEqual([2, 3]);
    const ledger = (
      await a.query<{ name: string; duration_ms: number; checksum: string }>(
        'SELECT name, duration_ms, checksum FROM schema_migrations ORDER BY name',
      )
    ).rows;
    expect(ledger.map((r) => r.name)).toEqual(['001_table.sql', '002_slow.sql', '003_column.sql']);
    expect(ledger[1]!.duration_ms).toBeGreaterThanOrEqual(SLOW_MIGRATION_S * 1000);
    expect(ledger.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    expect(await pendingMigrations(b, dir)).toEqual([]);
    console.log(
      JSON.stringify({
        test: 'migrations/race',
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
        slowMigrationMs: ledger[1]!.duration_ms,
        appliedByA: fromA,
        appliedByB: fromB,
        elapsedMs,
      }),
    );
  });

  it('rolls back only the migration that failed: the ones before it stay applied and recorded', async () => {
    const url = await postgres.createDatabase('partial');
    const dir = await migrationsDir({
      '001_ok.sql': 'CREATE TABLE kept (n int);',
      '002_broken.sql': 'CREATE TABLE half (n int); SELECT no_such_function();',
    });
    const db = appDb(url);
    await expect(migrate(db, { dir })).rejects.toThrow(/002_broken\.sql failed and was rolled back/);
    expect((await db.query("SELECT to_regclass('kept')::text AS t")).rows[0]).toEqual({ t: 'kept' });
    expect((await db.query("SELECT to_regclass('half')::text AS t")).rows[0]).toEqual({ t: null });
    expect(await pendingMigrations(db, dir)).toEqual(['002_broken.sql']);
    // The lock was released: a fixed migration applies on the next run.
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE half (n int);');
    expect(await migrate(db, { dir })).toEqual(['002_broken.sql']);
  });

  it('an app that must not migrate refuses an older schema, naming what is missing, and starts after `npm run migrate`', async () => {
    const url = await postgres.createDatabase('release');
    const env = { DATABASE_URL: url, MIGRATE_ON_START: 'false' };
    const refused = await startTestRuntime(env).then(
      async (runtime) => {
        await runtime.dispose();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SchemaBehindError);
    expect((refused as Error).message).toMatch(/001_catalog\.sql.*npm run migrate/);

    const migrateOnce = () =>
      run(process.execPath, ['--import', 'tsx', 'app/migrate.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, LOG_LEVEL: 'info' },
      });
    const first = await migrateOnce();
    expect(first.stdout).toContain('schema migrated');
    expect((await migrateOnce()).stdout).toContain('schema already up to date');

    const runtime = await startTestRuntime(env);
    try {
      expect((await fetch(`${runtime.url}/readyz`)).status).toBe(200);
    } finally {
      await runtime.dispose();
    }
  });
});
