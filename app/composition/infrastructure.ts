/**
 * The adapters behind the ports, chosen by config: embedded (PGlite, in-process cache, bus and
 * queues) or production (Postgres primary/replica, Redis or Sentinel, BullMQ). The gateway
 * (runtime.ts) and the worker (worker.ts) open the same set.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../shared/config.js';
import type { Telemetry } from '../shared/telemetry/registry.js';
import type { Db } from '../adapters/storage/db.js';
import { openPgliteDb } from '../adapters/storage/pglite-db.js';
import { openPostgresDb } from '../adapters/storage/postgres-db.js';
import type { KeyValue } from '../adapters/cache/kv.js';
import { createMemoryKv } from '../adapters/cache/memory-kv.js';
import { createRedisKv } from '../adapters/cache/redis-kv.js';
import type { Bus } from '../adapters/bus/bus.js';
import { createMemoryBus } from '../adapters/bus/memory-bus.js';
import { createRedisBus } from '../adapters/bus/redis-bus.js';
import { connectRedis } from '../adapters/redis/connect.js';
import type { JobQueue } from '../adapters/jobs/queue.js';
import { createMemoryQueue } from '../adapters/jobs/memory-queue.js';
import { createBullQueue } from '../adapters/jobs/bullmq-queue.js';

export interface Infrastructure {
  db: Db;
  kv: KeyValue;
  bus: Bus;
  /** One queue per name, opened on first use. */
  queue(name: string): JobQueue;
  /** True when jobs must run in this process (embedded mode has no separate worker). */
  inProcessJobs: boolean;
  close(): Promise<void>;
}

export async function openDb(config: AppConfig, telemetry: Telemetry, log: Logger): Promise<Db> {
  if (config.database.kind === 'embedded') {
    // In a worker thread: manual indexing's SQL must not stall the keystrokes served on this event loop.
    return openPgliteDb({ dataDir: join(config.database.dataDir, 'pglite'), metrics: telemetry.m, thread: true });
  }
  const { url, replicaUrl, poolMax, statementTimeoutMs, ca } = config.database;
  return openPostgresDb({ url, replicaUrl, poolMax, statementTimeoutMs, ca, metrics: telemetry.m, log });
}

export async function openInfrastructure(
  config: AppConfig,
  telemetry: Telemetry,
  log: Logger,
): Promise<Infrastructure> {
  const db = await openDb(config, telemetry, log);
  const queues = new Map<string, JobQueue>();
  const redis = config.redis;
  const kvAndBus =
    redis.kind === 'embedded'
      ? { kv: createMemoryKv(), bus: createMemoryBus() }
      : {
          kv: createRedisKv(connectRedis(redis, 'commands', {}, log)),
          bus: createRedisBus(
            connectRedis(redis, 'publisher', {}, log),
            connectRedis(redis, 'subscriber', {}, log),
            log,
          ),
        };
  const openQueue = (name: string): JobQueue =>
    redis.kind === 'embedded'
      ? createMemoryQueue(name, log)
      : createBullQueue(name, {
          // Blocking worker connections must retry forever (BullMQ requires it); the producer's enqueue
          // must fail fast during an outage so an ask or a select gets `unavailable` instead of hanging.
          connection: (purpose) =>
            connectRedis(redis, purpose, purpose.startsWith('worker:') ? { maxRetriesPerRequest: null } : {}, log),
          lockMs: config.worker.lockSeconds * 1000,
          log,
        });
  return {
    db,
    ...kvAndBus,
    inProcessJobs: redis.kind === 'embedded',
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = openQueue(name);
        queues.set(name, queue);
      }
      return queue;
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      await Promise.allSettled([kvAndBus.bus.close(), kvAndBus.kv.close()]);
      await db.close();
    },
  };
}
