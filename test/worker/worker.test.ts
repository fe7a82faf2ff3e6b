/** The worker process on real Postgres and Redis: probes, metrics, the maintenance schedule, SIGTERM. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort, startPostgres, startRedis, type PostgresInstance, type RedisInstance } from '../harness/index.js';
import { spawnApp } from '../helpers/app-process.js';

let pg: PostgresInstance;
let redis: RedisInstance;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
});
afterAll(async () => {
  await Promise.allSettled([pg?.stop(), redis?.stop()]);
});

describe('worker process', () => {
  it('serves probes and metrics, schedules maintenance once, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = await spawnApp(
      { DATABASE_URL: await pg.createDatabase('w'), REDIS_URL: redis.url, WORKER_PORT: String(port) },
      'app/worker.ts',
      'worker running',
    );
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    await expect.poll(async () => (await fetch(`${base}/readyz`)).status).toBe(200);
    await expect
      .poll(async () => (await fetch(`${base}/metrics`)).text())
      .toMatch(/queue_depth\{queue="maintenance",state="waiting"\} \d/);

    const client = new Redis(redis.url);
    const schedulers = await client.keys('hsc:maintenance:repeat*');
    client.disconnect();
    expect(schedulers.length).toBeGreaterThan(0);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
