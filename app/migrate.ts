/**
 * Migration entry point: `npm run migrate`, the release step (the migration Job in the cluster runs it
 * before the new version rolls out). Applies pending migrations to the configured database and exits;
 * several runners at once are safe (they queue on an advisory lock).
 */
import { ConfigError, loadConfig } from './shared/config.js';
import { warnAboutEnvironment } from './shared/config/warnings.js';
import { openDb } from './composition/infrastructure.js';
import { createLogger } from './shared/log.js';
import { migrate, pendingMigrations } from './adapters/storage/migrate.js';
import { createTelemetry } from './shared/telemetry/registry.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.observability.logLevel).child({ role: 'migrate' });
  warnAboutEnvironment(log);
  const db = await openDb(config, createTelemetry(), log);
  try {
    const started = performance.now();
    const applied = await migrate(db, { log });
    const pending = await pendingMigrations(db);
    if (pending.length > 0) throw new Error(`migrations still pending after the run: ${pending.join(', ')}`);
    log.info(
      { applied, database: config.database.kind, ms: Math.round(performance.now() - started) },
      applied.length > 0 ? 'schema migrated' : 'schema already up to date',
    );
  } finally {
    await db.close();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `migration failed: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
}
