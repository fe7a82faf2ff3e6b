/**
 * Background jobs. Embedded mode runs them in-process; with Redis they go through BullMQ so any worker
 * process can take them. Both adapters pass queue.contract.test.ts.
 *
 * A job id is the idempotency key: enqueueing an id that is already waiting, delayed or running does
 * nothing (except raise a waiting job's priority), so two sessions triggering the same manual cause one
 * fetch. Waiting jobs run by priority, then in the order they were enqueued.
 */

/**
 * `urgent` jobs run before every `normal` one that waits: a manual a question waits on, or a small one,
 * is not stuck behind bulk requests. (BullMQ's groups, which would queue fairly per requester, are in
 * its paid edition; fairness per requester is admission's job, manuals/fairness.ts.)
 */
export type JobPriority = 'urgent' | 'normal';

/** BullMQ's priority numbers: lower runs first; 0 (none) would run before every prioritized job. */
export const PRIORITY_RANK: Record<JobPriority, number> = { urgent: 1, normal: 2 };
export interface JobContext<T> {
  id: string;
  data: T;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  signal: AbortSignal;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

export interface EnqueueOptions {
  attempts?: number;
  /** First retry delay; each further retry doubles it. */
  backoffMs?: number;
  delayMs?: number;
  /** `normal` unless given. */
  priority?: JobPriority;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface JobQueue {
  readonly name: string;
  enqueue(jobId: string, data: unknown, options?: EnqueueOptions): Promise<void>;
  /** True while a job with this id is waiting, delayed or running. */
  has(jobId: string): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  /** Runs `handler` for this queue's jobs in this process, `concurrency` at a time. */
  work<T>(handler: JobHandler<T>, options?: { concurrency?: number }): void;
  /** A maintenance job that runs every `everyMs` (one schedule across all instances). */
  every(scheduleId: string, everyMs: number, data?: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * Throw this from a handler when retrying cannot help (404, not a PDF, encrypted…): the job fails at
 * once with this reason instead of burning its attempts.
 */
export class PermanentJobError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1_000;

/** The wait before the retry that follows failed attempt `attempt` (1-based): exponential, as BullMQ's. */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** (attempt - 1);
}
