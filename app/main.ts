/** Gateway entry point: `npm start`. */
import { ConfigError, loadConfig } from './shared/config.js';
import { warnAboutEnvironment } from './shared/config/warnings.js';
import { createLogger } from './shared/log.js';
import { startRuntime } from './composition/runtime.js';
import { SchemaBehindError } from './adapters/storage/migrate.js';
import { closeErrorReporting, initErrorReporting } from './shared/telemetry/errors.js';
import { installProcessGuard } from './shared/telemetry/process-guard.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Before the runtime starts: a misspelt setting may be why it fails to.
  warnAboutEnvironment(createLogger(config.observability.logLevel).child({ role: 'config' }));
  initErrorReporting({
    dsn: config.observability.sentryDsn,
    environment: config.server.environment,
    ...(process.env.APP_RELEASE ? { release: process.env.APP_RELEASE } : {}),
  });
  const runtime = await startRuntime(config);
  installProcessGuard({ log: runtime.log, metrics: runtime.telemetry.m });
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    runtime.log.info({ signal, drainSeconds: config.server.drainSeconds }, 'shutting down: draining connections');
    runtime
      .drain()
      .then(() => closeErrorReporting())
      .then(() => {
        runtime.log.info('shut down cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        runtime.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof SchemaBehindError) {
    process.stderr.write(`refusing to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
