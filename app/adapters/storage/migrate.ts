/**
 * Schema migrations: app/adapters/storage/migrations/*.sql, applied in name order, each once and each in its own
 * transaction, recorded in schema_migrations (name, checksum, when, how long).
 *
 * A release runs them as a step of its own (`npm run migrate`, the migration Job in the cluster) on a
 * connection outside the request pool: no statement timeout (a migration may take minutes), a session
 * advisory lock (a second runner waits for the first, then finds nothing left to do), and a lock timeout
 * per migration (one stuck behind a long query fails and is retried instead of queueing every request
 * behind its table lock). App processes only check that what they need has been applied.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Db, Session } from './db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 7_240_131; // arbitrary, stable: "hsc-jit migrations"
/** How long one migration may wait for a table lock before it gives up (and the release step is retried). */
const LOCK_TIMEOUT = '10s';

export interface MigrateOptions {
  dir?: string;
  log?: Logger;
}

async function migrationFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
}

/**
 * The schema version this code brings: its newest migration's name (`007_product_support_url`). The cluster's
 * migration Job is named after it (platform/workloads/migrations.ts), read at synth time from the same directory.
 */
export function schemaVersion(dir = MIGRATIONS_DIR): string {
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .at(-1);
  if (!newest) throw new Error(`no migrations in ${dir}`);
  return newest.slice(0, -'.sql'.length);
}

async function ensureLedger(session: Session): Promise<void> {
  await session.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
    ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;
    ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS duration_ms integer;
  `);
}

/** Applies every migration not applied yet; returns the names it applied (none when another runner did). */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const files = await migrationFiles(dir);
  return db.maintenanceSession(async (session) => {
    await session.exec('SET statement_timeout = 0');
    await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await ensureLedger(session);
      const done = new Set(
        (await session.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const sql = await readFile(`${dir}${file}`, 'utf8');
        const started = performance.now();
        await session.exec('BEGIN');
        try {
          await session.exec(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
          await session.exec(sql);
          await session.query('INSERT INTO schema_migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)', [
            file,
            createHash('sha256').update(sql).digest('hex'),
            Math.round(performance.now() - started),
          ]);
          await session.exec('COMMIT');
        } catch (error) {
          await session.exec('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${file} failed and was rolled back: ${(error as Error).message}`, {
            cause: error,
          });
        }
        options.log?.info({ migration: file, ms: Math.round(performance.now() - started) }, 'migration applied');
        applied.push(file);
      }
      return applied;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  });
}

/** The migrations this version of the app needs that the database has not recorded, in order. */
export async function pendingMigrations(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  const { rows } = await db.query<{ ledger: string | null }>("SELECT to_regclass('schema_migrations')::text AS ledger");
  if (!rows[0]?.ledger) return files;
  const done = new Set(
    (await db.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
  );
  return files.filter((f) => !done.has(f));
}

export class SchemaBehindError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `the database schema is older than this version of the app needs: ${pending.length} migration(s) not applied (${pending.join(', ')}). ` +
        'Run the release step first: `npm run migrate` (in the cluster, the migration Job runs it before the rollout).',
    );
    this.name = 'SchemaBehindError';
  }
}

/** Throws SchemaBehindError unless every migration this version ships has been applied (newer ones are fine). */
export async function requireSchema(db: Db, dir = MIGRATIONS_DIR): Promise<void> {
  const pending = await pendingMigrations(db, dir);
  if (pending.length > 0) throw new SchemaBehindError(pending);
}

/** Start-up: apply what is pending (outside the cluster), or refuse to run on an older schema (in it). */
export async function prepareSchema(db: Db, options: { migrateOnStart: boolean; log?: Logger }): Promise<void> {
  if (options.migrateOnStart) await migrate(db, options.log ? { log: options.log } : {});
  else await requireSchema(db);
}
