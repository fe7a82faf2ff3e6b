/**
 * One logical queue over two lines with their own workers: `urgent` jobs never wait for a slot that
 * `normal` (bulk) jobs hold, which priorities alone cannot promise (a priority orders the line, but a
 * worker busy with a 12 s download is busy). Both lines are plain JobQueues (in-memory or BullMQ), so
 * the tiered queue behaves the same on either and passes the same contract.
 *
 * A job id lives in one line at a time: enqueueing an id already pending in either line leaves it
 * there (an urgent request then moves it to the head of its line), so nothing runs twice at once.
 */
import type { EnqueueOptions, JobHandler, JobQueue, QueueCounts } from './queue.js';

export interface TieredQueueOptions {
  /** Workers (per process) that take only urgent jobs, besides the `concurrency` given to work(). */
  urgentConcurrency: number;
}

export function createTieredQueue(normal: JobQueue, urgent: JobQueue, options: TieredQueueOptions): JobQueue {
  const lines = [urgent, normal] as const;
  const pendingIn = async (jobId: string): Promise<JobQueue | undefined> => {
    for (const line of lines) if (await line.has(jobId)) return line;
    return undefined;
  };
  return {
    name: normal.name,
    async enqueue(jobId, data, enqueueOptions: EnqueueOptions = {}) {
      const line = (await pendingIn(jobId)) ?? (enqueueOptions.priority === 'urgent' ? urgent : normal);
      await line.enqueue(jobId, data, enqueueOptions);
    },
    async has(jobId) {
      return (await pendingIn(jobId)) !== undefined;
    },
    async counts(): Promise<QueueCounts> {
      const [a, b] = await Promise.all(lines.map((line) => line.counts()));
      return {
        waiting: a!.waiting + b!.waiting,
        active: a!.active + b!.active,
        delayed: a!.delayed + b!.delayed,
        failed: a!.failed + b!.failed,
      };
    },
    work<T>(handler: JobHandler<T>, workOptions: { concurrency?: number } = {}) {
      normal.work(handler, workOptions);
      urgent.work(handler, { concurrency: options.urgentConcurrency });
    },
    every(scheduleId, everyMs, data) {
      return normal.every(scheduleId, everyMs, data);
    },
    async close() {
      await Promise.all(lines.map((line) => line.close()));
    },
  };
}
