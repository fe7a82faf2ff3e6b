/**
 * What the gateway under load runs on.
 *   - `services` (default, the production shape): a real Postgres and Redis from the test harness, so
 *     sessions go to Redis and manual jobs to BullMQ (no worker runs in the gateway, as in a pod).
 *   - `embedded`: the no-config defaults (PGlite, in-process cache and queue): manual jobs run inside
 *     the gateway, and PGlite's WASM memory is part of its RSS.
 */
import { join } from 'node:path';
import { startPostgres, startRedis } from '../../test/harness/index.js';

export type Backend = 'services' | 'embedded';

export interface GatewayBackend {
  kind: Backend;
  /** Env for the gateway process. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startBackend(kind: Backend, dir: string): Promise<GatewayBackend> {
  if (kind === 'embedded') return { kind, env: { DATA_DIR: join(dir, 'data') }, stop: async () => undefined };
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  return {
    kind,
    env: {
      DATABASE_URL: await postgres.createDatabase('bench_load'),
      REDIS_URL: redis.url,
      DATA_DIR: join(dir, 'data'),
    },
    async stop() {
      await Promise.all([postgres.stop(), redis.stop()]);
    },
  };
}
