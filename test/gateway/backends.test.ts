/** The app on real Postgres and Redis: two instances share sessions; readiness tells the truth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type PostgresInstance, type RedisInstance } from '../harness/index.js';
import { TestClient } from '../helpers/ws-client.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

let pg: PostgresInstance;
let redis: RedisInstance;
let a: TestRuntime;
let b: TestRuntime;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = { DATABASE_URL: await pg.createDatabase('hsc'), REDIS_URL: redis.url };
  a = await startTestRuntime(env);
  b = await startTestRuntime(env); // second instance: migrations and catalog import are idempotent
});
afterAll(async () => {
  await Promise.allSettled([a?.dispose(), b?.dispose()]);
  await Promise.allSettled([pg?.stop(), redis?.stop()]);
});

describe('on Postgres and Redis', () => {
  it('imported the bundled catalog once into Postgres', async () => {
    const { rows } = await a.db.query<{ products: number; imports: number; changed: number }>(
      'SELECT (SELECT count(*)::int FROM products WHERE retired_at IS NULL) AS products, count(*)::int AS imports, sum(changed)::int AS changed FROM catalog_imports',
    );
    expect(rows[0]).toEqual({ products: 2789, imports: 2, changed: 2789 });
  });

  it('resumes a session on another instance', async () => {
    const first = await TestClient.connect(a.wsUrl);
    const hello = await first.next('hello');
    first.send({ type: 'typing', seq: 1, text: 'akai mpc live 2' });
    const top = (await first.next('prediction')).items[0]!;
    first.send({ type: 'select', productId: top.productId });
    await first.next('manual');
    first.close();

    const second = await TestClient.connect(b.wsUrl);
    await second.next('hello');
    second.send({ type: 'resume', sessionId: hello.sessionId! });
    expect(await second.next('hello', (h) => h.resumed === true)).toMatchObject({
      sessionId: hello.sessionId,
      productId: top.productId,
    });
    second.close();
  });

  it('stays ready while Redis is down, reports it at /dependencies, and keeps predicting', async () => {
    const client = await TestClient.connect(b.wsUrl);
    await client.next('hello');
    await redis.kill('SIGKILL');
    await expect.poll(async () => (await fetch(`${b.url}/dependencies`)).status, { timeout: 10_000 }).toBe(503);
    const body = (await (await fetch(`${b.url}/dependencies`)).json()) as { dependencies: Record<string, string> };
    expect(body.dependencies.database).toBe('ok');
    expect(body.dependencies.cache).not.toBe('ok');
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    expect((await client.next('prediction')).items[0]?.name).toMatch(/TR-8S/);
    client.close();
  });
});
