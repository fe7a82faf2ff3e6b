/** ioredis clients for the configured Redis: one URL, or Sentinel (master discovery and failover). */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { AppConfig } from '../../shared/config.js';

/**
 * The first reconnect is immediate: a connection dropped on purpose (a master handing over in its
 * preStop kills its clients once the sentinels name its successor) has somewhere to go at once, and a
 * 200 ms wait there was a quarter of the write pause of a rolling restart. Further attempts back off to
 * at most 500 ms: a command waits in the offline queue for `maxRetriesPerRequest` + 1 attempts, so a
 * longer cap made a request during a long outage wait seconds (2.8 s measured) before `unavailable`.
 */
export function reconnectDelay(attempt: number): number {
  return attempt <= 1 ? 0 : Math.min(100 * 2 ** (attempt - 1), 500);
}

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
    retryStrategy: reconnectDelay,
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
