/** ioredis clients for the configured Redis: one URL, or Sentinel (master discovery and failover). */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';

export type RedisConfig = Exclude<AppConfig['redis'], { kind: 'embedded' }>;

/**
 * `purpose` names the connection in CLIENT LIST. BullMQ needs `maxRetriesPerRequest: null` on its
 * blocking connections; everyone else gets a bounded retry so a Redis outage fails fast.
 */
export function connectRedis(config: RedisConfig, purpose: string, overrides: RedisOptions = {}, log?: Logger): Redis {
  const common: RedisOptions = {
    connectionName: `hsc-jit:${purpose}`,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
    ...(config.password ? { password: config.password } : {}),
    ...overrides,
  };
  const client = config.kind === 'sentinel' ? sentinelClient(config, common) : new Redis(config.url, common);
  // ioredis reconnects by itself; without a listener every failed attempt is an "unhandled error".
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    if (Date.now() - lastLogged < 5_000) return;
    lastLogged = Date.now();
    log?.warn({ err: error, redis: purpose }, 'redis connection error');
  });
  return client;
}

function sentinelClient(config: Extract<RedisConfig, { kind: 'sentinel' }>, common: RedisOptions): Redis {
  return new Redis({
    ...common,
    sentinels: config.sentinels,
    name: config.masterName,
    ...(config.sentinelPassword ? { sentinelPassword: config.sentinelPassword } : {}),
    sentinelRetryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
  });
}
