/** In-process queue for embedded mode: same semantics as BullMQ (idempotent ids, retries, backoff). */
import type { Logger } from 'pino';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  isPermanent,
  PRIORITY_RANK,
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type JobQueue,
} from './queue.js';

interface PendingJob {
  id: string;
  data: unknown;
  attempt: number;
  attempts: number;
  backoffMs: number;
  rank: number;
  /** Enqueue order: first come, first served among jobs of one priority. */
  order: number;
  state: 'waiting' | 'delayed' | 'active';
}

/** Before `b` in the waiting line: higher priority (lower rank), then earlier. */
const before = (a: PendingJob, b: PendingJob) => a.rank < b.rank || (a.rank === b.rank && a.order < b.order);

export function createMemoryQueue(name: string, log?: Logger): JobQueue {
  const jobs = new Map<string, PendingJob>();
  const waiting: PendingJob[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const controller = new AbortController();
  let failed = 0;
  let handler: JobHandler<unknown> | undefined;
  let concurrency = 1;
  let running = 0;
  let closed = false;
  let enqueued = 0;

  function later(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  /** Keeps `waiting` sorted (a short line: manual admission bounds it), so the next job is its head. */
  function insertWaiting(job: PendingJob) {
    let at = waiting.length;
    while (at > 0 && before(job, waiting[at - 1]!)) at -= 1;
    waiting.splice(at, 0, job);
  }

  function makeWaiting(job: PendingJob) {
    job.state = 'waiting';
    insertWaiting(job);
    pump();
  }

  function pump() {
    while (handler && !closed && running < concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      job.state = 'active';
      running += 1;
      void run(handler, job).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  async function run(work: JobHandler<unknown>, job: PendingJob) {
    try {
      await work({ id: job.id, data: job.data, attempt: job.attempt, signal: controller.signal });
      jobs.delete(job.id);
    } catch (error) {
      if (closed) return;
      if (isPermanent(error) || job.attempt >= job.attempts) {
        jobs.delete(job.id);
        failed += 1;
        log?.warn({ queue: name, jobId: job.id, err: error }, 'job failed');
        return;
      }
      const delay = retryDelayMs(job.backoffMs, job.attempt);
      job.attempt += 1;
      job.state = 'delayed';
      later(delay, () => makeWaiting(job));
    }
  }

  return {
    name,
    async enqueue(jobId, data, options: EnqueueOptions = {}) {
      if (closed) return;
      const rank = PRIORITY_RANK[options.priority ?? 'normal'];
      const pending = jobs.get(jobId);
      if (pending) {
        if (rank < pending.rank) {
          pending.rank = rank;
          if (pending.state === 'waiting') {
            waiting.splice(waiting.indexOf(pending), 1);
            insertWaiting(pending);
          }
        }
        return;
      }
      const job: PendingJob = {
        id: jobId,
        data,
        attempt: 1,
        attempts: options.attempts ?? DEFAULT_ATTEMPTS,
        backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
        rank,
        order: enqueued++,
        state: 'delayed',
      };
      jobs.set(jobId, job);
      if (options.delayMs) later(options.delayMs, () => makeWaiting(job));
      else makeWaiting(job);
    },
    async has(jobId) {
      return jobs.has(jobId);
    },
    async counts() {
      const states = [...jobs.values()].map((j) => j.state);
      return {
        waiting: states.filter((s) => s === 'waiting').length,
        active: states.filter((s) => s === 'active').length,
        delayed: states.filter((s) => s === 'delayed').length,
        failed,
      };
    },
    work(work, options = {}) {
      handler = work as JobHandler<unknown>;
      concurrency = options.concurrency ?? 1;
      pump();
    },
    async every(scheduleId, everyMs, data) {
      const tick = () => {
        void this.enqueue(`${scheduleId}:${Date.now()}`, data ?? {}, { attempts: 1 });
        if (!closed) later(everyMs, tick);
      };
      later(everyMs, tick);
    },
    async close() {
      closed = true;
      controller.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
