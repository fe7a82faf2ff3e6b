import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../test/harness/index.js';
import { connectRedis } from '../redis/connect.js';
import { createBullQueue } from './bullmq-queue.js';
import { createMemoryQueue } from './memory-queue.js';
import { PermanentJobError, type JobQueue } from './queue.js';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let counter = 0;
const adapters: Record<string, () => JobQueue> = {
  memory: () => createMemoryQueue(`q${++counter}`),
  bullmq: () =>
    createBullQueue(`q${++counter}`, {
      connection: (purpose) =>
        connectRedis({ kind: 'url', url: redis.url, password: undefined }, purpose, { maxRetriesPerRequest: null }),
    }),
};

describe.each(Object.entries(adapters))('JobQueue contract: %s', (_name, open) => {
  const queues: JobQueue[] = [];
  const fresh = () => {
    const q = open();
    queues.push(q);
    return q;
  };
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
  });

  it('runs a job id once however often it is enqueued while pending', async () => {
    const queue = fresh();
    for (let i = 0; i < 5; i += 1) await queue.enqueue('manual-1', { n: i });
    expect(await queue.has('manual-1')).toBe(true);
    const seen: unknown[] = [];
    queue.work(async (job) => {
      seen.push(job.data);
    });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual({ n: 0 });
    await expect.poll(() => queue.has('manual-1')).toBe(false);
  });

  it('retries a failing job with backoff and reports the attempt number', async () => {
    const queue = fresh();
    const attempts: number[] = [];
    queue.work(async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new Error('transient');
    });
    await queue.enqueue('flaky', {}, { attempts: 3, backoffMs: 50 });
    await expect.poll(() => attempts, { timeout: 10_000 }).toEqual([1, 2, 3]);
    await expect.poll(() => queue.has('flaky')).toBe(false);
  });

  it('fails a permanent error at once without retrying', async () => {
    const queue = fresh();
    const attempts: number[] = [];
    queue.work(async (job) => {
      attempts.push(job.attempt);
      throw new PermanentJobError('not a PDF');
    });
    await queue.enqueue('bad', {}, { attempts: 3, backoffMs: 20 });
    await expect.poll(async () => (await queue.counts()).failed, { timeout: 10_000 }).toBe(1);
    expect(attempts).toEqual([1]);
  });

  it('can run the same id again after it finished', async () => {
    const queue = fresh();
    let runs = 0;
    queue.work(async () => {
      runs += 1;
    });
    await queue.enqueue('again', {});
    await expect.poll(() => runs).toBe(1);
    await expect.poll(() => queue.has('again')).toBe(false);
    await queue.enqueue('again', {});
    await expect.poll(() => runs).toBe(2);
  });

  it('counts waiting jobs before a worker takes them', async () => {
    const queue = fresh();
    await queue.enqueue('a', {});
    await queue.enqueue('b', {});
    expect(await queue.counts()).toMatchObject({ waiting: 2, active: 0 });
  });
});
