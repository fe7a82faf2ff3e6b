/**
 * The gateway, composed from the typed config: infrastructure (schema, catalog) → services → gateway →
 * listen. Nothing configured → embedded defaults (PGlite in DATA_DIR, in-process cache, bus and queues,
 * bundled catalog), and the background jobs run here; DATABASE_URL / DATABASE_REPLICA_URL and REDIS_URL
 * or REDIS_SENTINELS switch to Postgres and Redis, and the jobs to the worker (worker.ts).
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type pino from 'pino';
import type { AppConfig } from '../shared/config.js';
import { createLogger } from '../shared/log.js';
import { createTelemetry, type Telemetry } from '../shared/telemetry/registry.js';
import type { Db } from '../adapters/storage/db.js';
import { prepareSchema } from '../adapters/storage/migrate.js';
import { openInfrastructure } from './infrastructure.js';
import { buildServices, type Jobs } from './services.js';
import { importConfiguredCatalog, openLiveCatalog, productDirectory } from '../core/catalog/live-catalog.js';
import { cachedPredictions } from '../core/prediction/cached-predictions.js';
import { readDemoManifest } from '../core/manuals/demo/manifest.js';
import type { KeyValue } from '../adapters/cache/kv.js';
import type { Bus } from '../adapters/bus/bus.js';
import { createGateway, type Gateway } from '../edges/gateway/server.js';
import { SessionStore } from '../core/sessions/session-store.js';
import { AskSlots } from '../edges/gateway/ask-slots.js';
import { createAuditLog } from '../core/audit/audit-log.js';
import { registerAdminRoutes } from '../edges/gateway/admin-routes.js';
import { registerManualLinks } from '../edges/gateway/manual-links.js';
import { registerDemoManualRoutes } from '../core/manuals/demo/routes.js';
import { eraseSession } from '../core/privacy/erasure.js';
import { registerStaticUi } from '../edges/gateway/static-ui.js';

export interface Runtime {
  config: AppConfig;
  log: Logger;
  telemetry: Telemetry;
  db: Db;
  kv: KeyValue;
  bus: Bus;
  /** http://host:port of the listening gateway. */
  url: string;
  wsUrl: string;
  /** http://host:port of the internal listener: /metrics and the admin API. */
  internalUrl: string;
  /** SIGTERM behaviour: unready at once, sockets drained, then everything closed. */
  drain(drainMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  logDestination?: pino.DestinationStream;
}

export async function startRuntime(config: AppConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = createLogger(config.observability.logLevel, options.logDestination);
  const telemetry = createTelemetry();
  const infra = await openInfrastructure(config, telemetry, log);
  const { db, kv, bus } = infra;
  try {
    await prepareSchema(db, { migrateOnStart: config.storage.migrateOnStart, log });
    await importConfiguredCatalog(db, config.storage.catalogFile, log);
    // On embedded defaults the import (and a fresh data directory's initdb) leaves PGlite's WebAssembly
    // memory at its high-water mark for good; nothing is served yet, so this is when to give it back.
    await db.releaseMemory();
  } catch (error) {
    await infra.close();
    throw error;
  }
  // Demo manuals count as manuals: prediction rows say which products have one.
  const demoManualIds = new Set(
    config.manuals.demo ? (await readDemoManifest()).manuals.map((entry) => entry.productId) : [],
  );
  // Each catalog version: its products by id, and the keystroke's predictions (a fresh cache).
  const catalog = await openLiveCatalog(db, {
    build: (products) => ({
      ...productDirectory(products),
      predictions: cachedPredictions(
        products,
        config.prediction.limit,
        (p) => p.manualUrl !== undefined || demoManualIds.has(p.id),
      ),
    }),
    log,
    metrics: telemetry.m,
  });

  let url: string | undefined; // known once listening; demo manuals are served from it
  const services = await buildServices({
    config,
    infra,
    log,
    telemetry,
    product: (id) => catalog.current().product(id),
    ownUrl: () => url,
  });
  // Embedded mode has no separate worker process: the jobs run here.
  const jobs: Jobs | undefined = infra.inProcessJobs ? await services.startJobs() : undefined;
  const audit = createAuditLog(db, { detailMaxChars: config.privacy.auditDetailMaxChars, metrics: telemetry.m, log });
  const sessions = new SessionStore(db, { max: config.sessions.storeMax, metrics: telemetry.m });
  const gateway: Gateway = await createGateway({
    log,
    telemetry,
    maxConnections: config.websocket.maxConnections,
    maxConnectionsPerClient: config.websocket.maxConnectionsPerClient,
    connectsPerMinutePerClient: config.websocket.connectsPerMinutePerClient,
    trustedProxyHops: config.websocket.trustedProxyHops,
    allowedOrigins: config.websocket.allowedOrigins,
    heartbeatMs: config.websocket.heartbeatSeconds * 1000,
    dependencies: { database: () => db.ping(), cache: () => kv.ping() },
    readinessDetails: () => jobs?.readinessDetails() ?? {},
    connection: {
      predictions: () => catalog.current().predictions,
      catalog: () => catalog.current(),
      manuals: services.manuals,
      answers: services.answers,
      sessions,
      bus,
      audit,
      prefetchConfidence: config.manuals.prefetchConfidence,
      support: config.support,
      ratePerSecond: config.websocket.ratePerSecond,
      rateBurst: config.websocket.rateBurst,
      maxAsksPerConnection: config.websocket.maxAsksPerConnection,
      askSlots: new AskSlots(config.websocket.maxAsks),
      sendBacklogBytes: config.websocket.sendBacklogBytes,
      historyMaxBytes: config.websocket.historyMaxBytes,
    },
    internalRoutes: async (internal) => {
      registerAdminRoutes(internal, config.server.adminToken, telemetry.m, {
        // The session's entries still queued are removed, and a batch being written finishes before the
        // rows are deleted, so nothing of the session is written after the erasure says it is complete.
        eraseSession: async (sessionId) => {
          const queuedAuditEntries = audit.discard(sessionId);
          await audit.flush();
          return { ...(await eraseSession({ db, sessions, bus }, sessionId)), queuedAuditEntries };
        },
      });
    },
    routes: async (app) => {
      registerDemoManualRoutes(app, services.demoManuals);
      registerManualLinks(app, (productId) => services.manualLink(productId));
      await registerStaticUi(app);
    },
  });
  await gateway.app.listen({ host: config.server.host, port: config.server.port });
  // Metrics and the admin API: loopback unless INTERNAL_HOST says otherwise (the cluster's scrapes need the pod IP).
  await gateway.internal.listen({ host: config.server.internalHost, port: config.server.internalPort });
  /** Where this process reaches a listener: a wildcard bind is reached on loopback. */
  const reach = (bound: AddressInfo) =>
    bound.family === 'IPv6'
      ? `http://[${bound.address === '::' ? '::1' : bound.address}]:${bound.port}`
      : `http://${bound.address === '0.0.0.0' ? '127.0.0.1' : bound.address}:${bound.port}`;
  url = reach(gateway.app.server.address() as AddressInfo);
  const internalUrl = reach(gateway.internal.server.address() as AddressInfo);
  log.info(
    {
      url,
      internal: internalUrl,
      database: config.database.kind,
      redis: config.redis.kind,
      products: catalog.current().size,
    },
    'gateway listening',
  );

  let stopped: Promise<void> | undefined;
  const drain = (drainMs = config.server.drainSeconds * 1000) => {
    stopped ??= (async () => {
      catalog.close();
      await gateway.drain(drainMs);
      await jobs?.close();
      await services.close();
      await audit.close();
      await infra.close();
    })();
    return stopped;
  };
  return {
    config,
    log,
    telemetry,
    db,
    kv,
    bus,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    internalUrl,
    drain,
    stop: () => drain(0),
  };
}
