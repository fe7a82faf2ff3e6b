/** BullMQ adapter: jobs in Redis, taken by whichever worker process is free. */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  isPermanent,
  PRIORITY_RANK,
  type JobHandler,
  type JobQueue,
} from './queue.js';

export interface BullQueueOptions {
  /** A connection factory: BullMQ workers need their own blocking connection. */
  connection: (purpose: string) => Redis;
  prefix?: string;
  /** A running job whose worker stopped renewing its lock this long is picked up again (a killed worker). */
  lockMs?: number;
  log?: Logger;
}

export function createBullQueue(name: string, options: BullQueueOptions): JobQueue {
  const prefix = options.prefix ?? 'hsc';
  const queue = new Queue(name, { connection: options.connection(`queue:${name}`), prefix });
  queue.on('error', (error) => options.log?.warn({ err: error, queue: name }, 'queue connection error'));
  const workers: Worker[] = [];
  const controller = new AbortController();

  return {
    name,
    async enqueue(jobId, data, enqueueOptions = {}) {
      // Every job gets a priority: BullMQ runs jobs without one before all prioritized jobs.
      const priority = PRIORITY_RANK[enqueueOptions.priority ?? 'normal'];
      await queue.add(name, data, {
        jobId,
        priority,
        attempts: enqueueOptions.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: 'exponential', delay: enqueueOptions.backoffMs ?? DEFAULT_BACKOFF_MS },
        ...(enqueueOptions.delayMs ? { delay: enqueueOptions.delayMs } : {}),
        // Finished jobs leave Redis so the same id can be enqueued again later (a manual re-fetch);
        // Postgres keeps the outcome.
        removeOnComplete: true,
        removeOnFail: { count: 1_000 },
      });
      // The id may have been pending already at a lower priority (add leaves it as it was): move it up.
      if (priority > PRIORITY_RANK.urgent) return;
      const stored = await queue.getJob(jobId);
      if (stored && stored.priority > priority && (await stored.getState()) === 'prioritized')
        await stored.changePriority({ priority });
    },
    async has(jobId) {
      const job = await queue.getJob(jobId);
      if (!job) return false;
      const state = await job.getState();
      return (
        state === 'waiting' ||
        state === 'active' ||
        state === 'delayed' ||
        state === 'prioritized' ||
        state === 'waiting-children'
      );
    },
    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
      };
    },
    work<T>(handler: JobHandler<T>, workOptions: { concurrency?: number } = {}) {
      const worker = new Worker(
        name,
        async (job) => {
          try {
            await handler({
              id: job.id ?? '',
              data: job.data as T,
              attempt: job.attemptsMade + 1,
              signal: controller.signal,
            });
          } catch (error) {
            if (isPermanent(error)) throw new UnrecoverableError((error as Error).message);
            throw error;
          }
        },
        {
          connection: options.connection(`worker:${name}`),
          prefix,
          concurrency: workOptions.concurrency ?? 1,
          lockDuration: options.lockMs ?? 30_000,
          stalledInterval: Math.max(500, Math.floor((options.lockMs ?? 30_000) / 2)),
        },
      );
      worker.on('error', (error) => options.log?.warn({ err: error, queue: name }, 'worker connection error'));
      workers.push(worker);
    },
    async every(scheduleId, everyMs, data) {
      await queue.upsertJobScheduler(
        scheduleId,
        { every: everyMs },
        { name, data: data ?? {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } } },
      );
    },
    async close() {
      controller.abort();
      await Promise.allSettled(workers.map((w) => w.close()));
      await queue.close();
    },
  };
}
