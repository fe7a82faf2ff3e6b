/** Instance loss: SIGKILL one gateway; its clients resume their sessions on the other. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type PostgresInstance, type RedisInstance } from '../harness/index.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { TestClient } from '../helpers/ws-client.js';

let pg: PostgresInstance;
let redis: RedisInstance;
let a: AppProcess;
let b: AppProcess;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = { DATABASE_URL: await pg.createDatabase('hsc'), REDIS_URL: redis.url };
  a = await spawnApp(env);
  b = await spawnApp(env);
});
afterAll(async () => {
  for (const app of [a, b]) app?.child.kill('SIGKILL');
  await Promise.allSettled([pg?.stop(), redis?.stop()]);
});

describe('instance loss', () => {
  it('moves every client of a killed gateway to the other with its session', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => TestClient.connect(a.wsUrl)));
    const queries = ['akai mpc live 2', 'allen heath sq5', 'tr8s', 'paiste 2002 thin crash 18', 'mcaster live'];
    const sessions = await Promise.all(
      clients.map(async (client, i) => {
        const { sessionId } = await client.next('hello');
        client.send({ type: 'typing', seq: 1, text: queries[i % queries.length]! });
        const productId = (await client.next('prediction')).items[0]!.productId;
        client.send({ type: 'select', productId });
        await client.next('manual', (m) => m.productId === productId);
        return { sessionId, productId };
      }),
    );

    a.child.kill('SIGKILL');
    await Promise.all(clients.map((c) => c.waitClosed()));

    const resumed = await Promise.all(
      sessions.map(async ({ sessionId }) => {
        const client = await TestClient.connect(b.wsUrl);
        await client.next('hello');
        client.send({ type: 'resume', sessionId: sessionId! });
        const hello = await client.next('hello', (h) => h.resumed === true);
        client.close();
        return { sessionId: hello.sessionId, productId: hello.productId };
      }),
    );
    expect(resumed).toEqual(sessions);
  });
});
