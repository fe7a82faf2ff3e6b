/**
 * Worker entry point: `npm run worker`. infrastructure → jobs → probes: runs every background job (the
 * manual processors, the maintenance tasks) against the configured Postgres and Redis/BullMQ, with its
 * own probes and metrics on WORKER_PORT. In embedded mode the gateway runs the same jobs in-process
 * (services.ts) and this entry point is not needed.
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { ConfigError, loadConfig, type AppConfig } from './shared/config.js';
import { warnAboutEnvironment } from './shared/config/warnings.js';
import { createLogger } from './shared/log.js';
import { openInfrastructure } from './composition/infrastructure.js';
import { prepareSchema, SchemaBehindError } from './adapters/storage/migrate.js';
import { createTelemetry } from './shared/telemetry/registry.js';
import { closeErrorReporting, initErrorReporting } from './shared/telemetry/errors.js';
import { installProcessGuard } from './shared/telemetry/process-guard.js';
import { registerProbes } from './edges/gateway/probes.js';
import { buildServices } from './composition/services.js';
import { openLiveCatalog, productDirectory } from './core/catalog/live-catalog.js';

async function main(config: AppConfig): Promise<void> {
  const log = createLogger(config.observability.logLevel).child({ role: 'worker' });
  warnAboutEnvironment(log);
  const telemetry = createTelemetry();
  initErrorReporting({ dsn: config.observability.sentryDsn, environment: config.server.environment });
  installProcessGuard({ log, metrics: telemetry.m });
  if (config.redis.kind === 'embedded') {
    log.warn(
      'no REDIS_URL or REDIS_SENTINELS: an embedded gateway runs its jobs itself, this worker has no queue to serve',
    );
  }
  const infra = await openInfrastructure(config, telemetry, log);
  try {
    await prepareSchema(infra.db, { migrateOnStart: config.storage.migrateOnStart, log });
  } catch (error) {
    await infra.close();
    throw error;
  }
  // Manual URLs were resolved by the gateway when it queued them; the worker needs the catalog only for
  // product names (answers it warms focus on the question, not the product's name, as the gateway's do).
  const catalog = await openLiveCatalog(infra.db, { build: productDirectory, log });
  const services = await buildServices({
    config,
    infra,
    log,
    telemetry,
    product: (id) => catalog.current().product(id),
  });
  const jobs = await services.startJobs();

  let draining = false;
  const probes = Fastify({ loggerInstance: log as FastifyBaseLogger });
  registerProbes(probes, {
    telemetry,
    draining: () => draining,
    dependencies: { database: () => infra.db.ping(), redis: () => infra.kv.ping() },
    details: () => jobs.readinessDetails(),
  });
  // The bound address, not the configured port: WORKER_PORT=0 lets the OS pick a free one.
  // Probes and metrics are internal: INTERNAL_HOST (loopback unless the platform opens it to the kubelet).
  const url = await probes.listen({ host: config.server.internalHost, port: config.worker.port });
  log.info({ url, concurrency: config.worker.concurrency }, 'worker running');

  const shutdown = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    log.info({ signal }, 'worker shutting down: finishing active jobs');
    // Closing waits for running jobs; a job cut off by the grace period is picked up again as stalled.
    catalog.close();
    void jobs
      .close()
      .then(() => services.close())
      .then(() => infra.close())
      .then(() => probes.close())
      .then(() => closeErrorReporting())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'worker shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

try {
  await main(loadConfig());
} catch (error) {
  process.stderr.write(
    error instanceof ConfigError || error instanceof SchemaBehindError
      ? `${error.message}\n`
      : `worker failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
}
