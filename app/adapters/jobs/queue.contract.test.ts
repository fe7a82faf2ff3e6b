import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../../test/harness/index.js';
import { connectRedis } from '../redis/connect.js';
import { createBullQueue } from './bullmq-queue.js';
import { createMemoryQueue } from './memory-queue.js';
import { PermanentJobError, type JobQueue } from './queue.js';
import { createTieredQueue } from './tiered-queue.js';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let counter = 0;
const lines: Record<string, () => JobQueue> = {
  memory: () => createMemoryQueue(`q${++counter}`),
  bullmq: () =>
    createBullQueue(`q${++counter}`, {
      connection: (purpose) =>
        connectRedis({ kind: 'url', url: redis.url, password: undefined }, purpose, { maxRetriesPerRequest: null }),
    }),
};
const tiered: Record<string, () => JobQueue> = {
  'tiered memory': () => createTieredQueue(lines.memory!(), lines.memory!(), { urgentConcurrency: 1 }),
  'tiered bullmq': () => createTieredQueue(lines.bullmq!(), lines.bullmq!(), { urgentConcurrency: 1 }),
};
const adapters = { ...lines, ...tiered };

/** Opens queues for one describe block and closes them after it. */
function queueFactory(open: () => JobQueue): () => JobQueue {
  const queues: JobQueue[] = [];
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
  });
  return () => {
    const q = open();
    queues.push(q);
    return q;
  };
}

describe.each(Object.entries(lines))('JobQueue priorities within one line: %s', (_name, open) => {
  const fresh = queueFactory(open);

  it('runs urgent jobs before normal ones that waited longer, first come first served within a priority', async () => {
    const queue = fresh();
    for (const id of ['n1', 'n2', 'n3']) await queue.enqueue(id, { id });
    await queue.enqueue('u1', { id: 'u1' }, { priority: 'urgent' });
    await queue.enqueue('n4', { id: 'n4' }, { priority: 'normal' });
    await queue.enqueue('u2', { id: 'u2' }, { priority: 'urgent' });
    const order: string[] = [];
    queue.work(async (job) => {
      order.push((job.data as { id: string }).id);
    });
    await expect.poll(() => order.length, { timeout: 10_000 }).toBe(6);
    expect(order).toEqual(['u1', 'u2', 'n1', 'n2', 'n3', 'n4']);
  });
});

describe.each(Object.entries(tiered))('JobQueue urgent line: %s', (_name, open) => {
  const fresh = queueFactory(open);

  it('runs an urgent job while every normal worker is busy with a long job', async () => {
    const queue = fresh();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: string[] = [];
    queue.work(
      async (job) => {
        const id = (job.data as { id: string }).id;
        started.push(id);
        if (id.startsWith('bulk')) await held;
      },
      { concurrency: 1 },
    );
    for (const id of ['bulk1', 'bulk2', 'bulk3']) await queue.enqueue(id, { id });
    await expect.poll(() => started, { timeout: 10_000 }).toEqual(['bulk1']);
    await queue.enqueue('demo', { id: 'demo' }, { priority: 'urgent' });
    await expect.poll(() => started, { timeout: 10_000 }).toEqual(['bulk1', 'demo']);
    release();
    await expect.poll(() => started.length, { timeout: 10_000 }).toBe(4);
    expect(await queue.counts()).toMatchObject({ waiting: 0 });
  });
});

describe.each(Object.entries(adapters))('JobQueue contract: %s', (_name, open) => {
  const fresh = queueFactory(open);

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

  it('moves a waiting job up when the same id is enqueued again as urgent', async () => {
    const queue = fresh();
    for (const id of ['a', 'b', 'c']) await queue.enqueue(id, { id });
    await queue.enqueue('c', { id: 'c' }, { priority: 'urgent' });
    await queue.enqueue('a', { id: 'a' }, { priority: 'normal' }); // never lowers, never duplicates
    const order: string[] = [];
    queue.work(async (job) => {
      order.push((job.data as { id: string }).id);
    });
    await expect.poll(() => order.length, { timeout: 10_000 }).toBe(3);
    expect(order).toEqual(['c', 'a', 'b']);
  });

  it('counts waiting jobs before a worker takes them', async () => {
    const queue = fresh();
    await queue.enqueue('a', {});
    await queue.enqueue('b', {});
    expect(await queue.counts()).toMatchObject({ waiting: 2, active: 0 });
  });
});
