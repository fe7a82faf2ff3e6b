/**
 * Redis down, asks about manuals that are not ready. The gateway runs on real Postgres and Redis with no
 * worker, so a requested manual stays `queued`; then redis-server is killed. An ask about that manual,
 * and one about a manual never requested, must answer `unavailable` at once with a retry hint, not wait
 * ANSWER_WAIT_SECONDS for progress that cannot come while the job queue is unreachable. Predictions go
 * on. Prints the measured figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type PostgresInstance, type RedisInstance } from '../harness/index.js';
import { TestClient } from '../helpers/ws-client.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { DEMO_PRODUCTS, answerOf } from './helpers/app-stack.js';

const ANSWER_WAIT_SECONDS = 30;
/** At once: within a tenth of the wait an ask would otherwise sit out, never a figure in ms. */
const PROMPT_BUDGET_MS = (ANSWER_WAIT_SECONDS * 1000) / 10;

let postgres: PostgresInstance;
let redis: RedisInstance;
let app: TestRuntime;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  app = await startTestRuntime({
    DATABASE_URL: await postgres.createDatabase('hsc'),
    REDIS_URL: redis.url,
    DEMO_MANUALS: 'true',
    ANSWER_WAIT_SECONDS: String(ANSWER_WAIT_SECONDS),
  });
});

afterAll(async () => {
  await app?.dispose();
  await Promise.allSettled([postgres?.stop(), redis?.stop()]);
});

describe('asks while Redis is down', () => {
  it('answer `unavailable` with a retry hint at once for a queued manual and for one never requested', async () => {
    const client = await TestClient.connect(app.wsUrl);
    try {
      await client.next('hello');
      // Queued while Redis is up; no worker runs, so it stays queued.
      client.send({ type: 'select', productId: DEMO_PRODUCTS.sq5 });
      await client.next('manual', (m) => m.productId === DEMO_PRODUCTS.sq5 && m.status === 'queued');

      await redis.kill('SIGKILL');
      const asked: Record<string, { ms: number; code: string; message: string }> = {};
      for (const [name, productId] of [
        ['queued', DEMO_PRODUCTS.sq5],
        ['neverRequested', DEMO_PRODUCTS.spdsx],
      ] as const) {
        const start = Date.now();
        client.send({ type: 'ask', id: name, productId, question: 'how do I reset it' });
        const outcome = await answerOf(client, name, (ANSWER_WAIT_SECONDS + 5) * 1000);
        asked[name] = {
          ms: Date.now() - start,
          code: outcome.type === 'error' ? outcome.code : 'done',
          message: outcome.type === 'error' ? outcome.message : '',
        };
      }
      client.send({ type: 'typing', seq: 1, text: 'tr8s' });
      const prediction = await client.next('prediction');
      console.log(JSON.stringify({ drill: 'redis-down-ask', answerWaitSeconds: ANSWER_WAIT_SECONDS, asked }));

      for (const outcome of Object.values(asked)) {
        expect(outcome.code).toBe('unavailable');
        expect(outcome.message).toMatch(/try again|ask again/i);
        expect(outcome.ms).toBeLessThan(PROMPT_BUDGET_MS);
      }
      expect(prediction.items[0]?.name).toMatch(/TR-8S/);
    } finally {
      client.close();
    }
  });
});
